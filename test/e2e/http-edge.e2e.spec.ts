import { Logger, type LoggerService } from '@nestjs/common';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { rawExchange, type RawResponse } from '../setup/raw-http.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ERROR_SCHEMA, GROUP_SCHEMA, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

const LIMIT = 64 * 1024;
const SIX_MIB = 6 * 1024 * 1024;

function expectRawScimError(res: RawResponse, status: number): void {
  assert.equal(res.error, undefined, `the client saw ${res.error} before the answer`);
  assert.equal(res.status, status);
  assert.match(res.headers['content-type'] ?? '', /^application\/scim\+json/);
  const body = JSON.parse(res.body);
  assert.deepEqual(body.schemas, [ERROR_SCHEMA]);
  assert.equal(body.status, String(status));
  assert.equal(typeof body.detail, 'string');
}

describe('Fastify URL errors and failing health are not bare Fastify bodies', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('an id over 100 characters is a 414 SCIM error body, under the base path and /admin', async () => {
    const long = 'a'.repeat(101);
    for (const path of [`${BASE}/Users/${long}`, `${BASE}/Groups/${long}`, `/admin/tokens/${long}`]) {
      const res = await t.req('get', path);
      expectScimError(res, 414);
      assert.doesNotMatch(res.text, /FST_ERR/);
    }
  });

  it('a bad percent-encoding is a 400 invalidSyntax SCIM error body', async () => {
    for (const path of [`${BASE}/Users/%E0%A4%A`, `${BASE}/Users/%zz`, '/admin/tokens/%']) {
      const res = await t.req('get', path);
      expectScimError(res, 400, 'invalidSyntax');
      assert.doesNotMatch(res.text, /FST_ERR/);
    }
  });

  it('a failing /health is 503 (with Retry-After), not 500', async () => {
    const original = t.db.query.bind(t.db);
    t.db.query = (() => Promise.reject(new Error('database is down'))) as typeof t.db.query;
    try {
      const res = await request(t.url).get('/health');
      expectScimError(res, 503);
      assert.equal(res.headers['retry-after'], '1');
      assert.match(res.body.detail, /database/);
      assert.doesNotMatch(res.text, /is down/);
    } finally {
      t.db.query = original;
    }
    assert.equal((await request(t.url).get('/health')).status, 200);
  });
});

describe('A body over the limit is answered 413 before the connection closes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { BODY_LIMIT_BYTES: String(LIMIT) } });
  });
  after(async () => {
    await t.close();
  });

  const head = (framing: string): string =>
    [
      `POST ${BASE}/Users HTTP/1.1`,
      'Host: localhost',
      `Authorization: Bearer ${t.token}`,
      'Content-Type: application/scim+json',
      framing,
    ].join('\r\n');

  it(
    'Content-Length: the whole 6 MiB body written before reading gets the 413, five times in a row',
    { timeout: 60_000 },
    async () => {
      const body = Buffer.alloc(SIX_MIB, 0x61);
      for (let i = 0; i < 5; i++) {
        const res = await rawExchange(t.url, {
          head: head(`Content-Length: ${body.length}`),
          chunks: [body],
          writeAllFirst: true,
        });
        expectRawScimError(res, 413);
        assert.equal(res.headers['connection'], 'close');
      }
    },
  );

  it(
    'chunked: the whole 6 MiB body written before reading gets the 413, five times in a row',
    { timeout: 60_000 },
    async () => {
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
      const chunks = [...Array.from({ length: SIX_MIB / chunk.length }, () => framed), Buffer.from('0\r\n\r\n')];
      for (let i = 0; i < 5; i++) {
        const res = await rawExchange(t.url, { head: head('Transfer-Encoding: chunked'), chunks, writeAllFirst: true });
        expectRawScimError(res, 413);
        assert.equal(res.headers['connection'], 'close');
      }
    },
  );

  it('a body within the limit still works on a kept-alive connection', async () => {
    const res = await t.req('post', `${BASE}/Users`).send(userBody('within.limit@example.com'));
    assert.equal(res.status, 201);
  });
});

describe('Forwarded headers with TRUST_PROXY', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
  });
  after(async () => {
    await t.close();
  });

  const host = (): string => new URL(t.url).host;

  async function locationWith(headers: Record<string, string>, name: string): Promise<string> {
    const res = await t
      .req('post', `${BASE}/Groups`)
      .set(headers)
      .send({ schemas: [GROUP_SCHEMA], displayName: name });
    assert.equal(res.status, 201);
    assert.equal(res.body.meta.location, res.headers['location']);
    return String(res.headers['location']).replace(/\/Groups\/[^/]+$/, '');
  }

  it('X-Forwarded-Proto is honoured only as http or https: first value, any case', async () => {
    assert.equal(
      await locationWith({ 'X-Forwarded-Proto': 'https://evil.example/#' }, 'p1'),
      `http://${host()}${BASE}`,
    );
    assert.equal(await locationWith({ 'X-Forwarded-Proto': 'javascript' }, 'p2'), `http://${host()}${BASE}`);
    assert.equal(await locationWith({ 'X-Forwarded-Proto': 'HTTPS' }, 'p3'), `https://${host()}${BASE}`);
    assert.equal(await locationWith({ 'X-Forwarded-Proto': 'https, http' }, 'p4'), `https://${host()}${BASE}`);
  });

  it('X-Forwarded-Host is honoured only as a valid host[:port]; otherwise Host is used', async () => {
    assert.equal(await locationWith({ 'X-Forwarded-Host': 'evil.example/#' }, 'h1'), `http://${host()}${BASE}`);
    assert.equal(await locationWith({ 'X-Forwarded-Host': 'user@evil.example' }, 'h2'), `http://${host()}${BASE}`);
    assert.equal(await locationWith({ 'X-Forwarded-Host': 'scim.example.com:99999' }, 'h3'), `http://${host()}${BASE}`);
    assert.equal(
      await locationWith({ 'X-Forwarded-Host': 'scim.example.com:8443, internal' }, 'h4'),
      `http://scim.example.com:8443${BASE}`,
    );
  });

  it('the unauthenticated ServiceProviderConfig cannot be made to name another origin', async () => {
    const res = await request(t.url)
      .get(`${BASE}/ServiceProviderConfig`)
      .set('X-Forwarded-Proto', 'https://evil.example/#')
      .set('X-Forwarded-Host', 'evil.example/x');
    assert.equal(res.status, 200);
    assert.equal(res.body.meta.location, `http://${host()}${BASE}/ServiceProviderConfig`);
    assert.doesNotMatch(res.text, /evil/);
  });
});

describe('Unknown attribute names in the log', () => {
  let t: TestApp;
  const warnings: string[] = [];
  const capture: LoggerService = {
    log: () => undefined,
    error: () => undefined,
    warn: (message: unknown) => void warnings.push(String(message)),
  };
  before(async () => {
    t = await startTestApp();
    Logger.overrideLogger(capture);
  });
  after(async () => {
    Logger.overrideLogger(false);
    await t.close();
  });

  it('are escaped (no forged line) and truncated (a bounded line) for Users and Groups', async () => {
    const keys: Record<string, string> = { 'nick\nERROR [forged] admin logged in': 'x', ['k'.repeat(200)]: 'y' };
    for (let i = 0; i < 5_000; i++) keys[`a${i}`] = 'z';
    const user = await t.req('post', `${BASE}/Users`).send(userBody('logged@example.com', keys));
    assert.equal(user.status, 201);
    const group = await t
      .req('post', `${BASE}/Groups`)
      .send({ schemas: [GROUP_SCHEMA], displayName: 'logged', ...keys });
    assert.equal(group.status, 201);
    const lines = warnings.filter((w) => /ignored unknown (User|Group) attributes/.test(w));
    assert.equal(lines.length, 2, warnings.join('\n'));
    for (const line of lines) {
      assert.doesNotMatch(line, /[\r\n]/);
      assert.match(line, /nick\\u000aERROR \[forged\]/);
      assert.match(line, new RegExp(`${'k'.repeat(64)}…,`));
      assert.match(line, / and 4982 more$/);
      assert.ok(line.length < 2000, `line of ${line.length} characters`);
    }
  });
});
