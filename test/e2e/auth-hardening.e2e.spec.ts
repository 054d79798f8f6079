import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { TokensService } from '../../src/auth/tokens.service.js';
import { rawExchange } from '../setup/raw-http.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ERROR_SCHEMA, startTestApp, type TestApp } from '../setup/test-app.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Schemes that contain "Basic" without being it, and separators that are not 1*SP. */
function lookAlikes(token: string): string[] {
  const creds = b64(`x:${token}`);
  return [
    `XBasic ${creds}`,
    `NotBasic ${creds}`,
    `basicx ${creds}`,
    `Basic, ${creds}`,
    `Basic,${creds}`,
    `Basic\t${creds}`,
  ];
}

/** Counts TokensService.verify calls while `fn` runs. */
async function countingVerify<T>(t: TestApp, fn: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const tokens = t.app.get(TokensService);
  const original = tokens.verify.bind(tokens);
  let calls = 0;
  tokens.verify = async (secret: string) => {
    calls++;
    return original(secret);
  };
  try {
    return { result: await fn(), calls };
  } finally {
    tokens.verify = original;
  }
}

describe('Authorization schemes with HTTP Basic off', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('a scheme that only contains "Basic" is 401 (RFC 7235: the scheme is one exact token)', async () => {
    for (const header of [...lookAlikes(t.token), `Basic ${b64(`x:${t.token}`)}`]) {
      const res = await request(t.url).get(`${BASE}/Users`).set('Authorization', header);
      expectScimError(res, 401);
    }
  });

  it('a bad bearer token is 401, not a 500 from a strategy that is not registered', async () => {
    expectScimError(await t.req('get', `${BASE}/Users`, 'not-a-token'), 401);
    expectScimError(await request(t.url).get('/admin/tokens').set('Authorization', 'Bearer nope'), 401);
  });

  it('the scheme is case-insensitive and may be followed by several spaces', async () => {
    const res = await request(t.url).get(`${BASE}/Users`).set('Authorization', `bearer   ${t.token}`);
    assert.equal(res.status, 200);
  });

  it('a request is verified once: the guard reuses what the early check verified', async () => {
    const { result, calls } = await countingVerify(t, () => t.req('get', `${BASE}/Users`));
    assert.equal(result.status, 200);
    assert.equal(calls, 1);
  });
});

describe('Authorization schemes with HTTP Basic on', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { AUTH_BASIC_ENABLED: 'true' } });
  });
  after(async () => {
    await t.close();
  });

  it('only a real Basic scheme authenticates, with the token as the password', async () => {
    const ok = await request(t.url)
      .get(`${BASE}/Users`)
      .set('Authorization', `Basic ${b64(`okta:${t.token}`)}`);
    assert.equal(ok.status, 200);
    const lower = await request(t.url)
      .get(`${BASE}/Users`)
      .set('Authorization', `basic ${b64(`okta:${t.token}`)}`);
    assert.equal(lower.status, 200);
    for (const header of lookAlikes(t.token)) {
      expectScimError(await request(t.url).get(`${BASE}/Users`).set('Authorization', header), 401);
    }
    expectScimError(
      await request(t.url)
        .get(`${BASE}/Users`)
        .set('Authorization', `Basic ${b64('okta:wrong')}`),
      401,
    );
  });

  it('Bearer keeps working, and a bad bearer token is 401', async () => {
    assert.equal((await t.req('get', `${BASE}/Users`)).status, 200);
    expectScimError(await t.req('get', `${BASE}/Users`, 'not-a-token'), 401);
  });
});

describe('Authentication before the body is read', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  /** Headers announce 4 MiB; 1 KiB is sent and the body never finishes, so no parser can have run. */
  function unfinishedPost(
    path: string,
    authorization?: string,
  ): Promise<{ status: number; body: string; headers: Record<string, string> }> {
    return rawExchange(t.url, {
      head: [
        `POST ${path} HTTP/1.1`,
        'Host: localhost',
        'Content-Type: application/scim+json',
        `Content-Length: ${4 * 1024 * 1024}`,
        ...(authorization ? [`Authorization: ${authorization}`] : []),
      ].join('\r\n'),
      chunks: [`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${'x'.repeat(1024)}`],
      end: false,
    });
  }

  for (const [name, authorization] of [
    ['no token', undefined],
    ['a wrong token', 'Bearer wrong-token'],
    ['a look-alike scheme', 'XBasic eDp5'],
  ] as const) {
    it(`${name}: the 401 arrives while the body is still unsent`, { timeout: 20_000 }, async () => {
      for (const path of [`${BASE}/Users`, `${BASE}/Groups`, '/admin/tokens']) {
        const res = await unfinishedPost(path, authorization);
        assert.equal(res.status, 401, path);
        assert.equal(res.headers['connection'], 'close');
        assert.match(res.headers['www-authenticate'] ?? '', /^Bearer /);
        const body = JSON.parse(res.body);
        assert.deepEqual(body.schemas, [ERROR_SCHEMA]);
        assert.equal(body.status, '401');
      }
    });
  }

  it('routes marked public still answer without a token', async () => {
    assert.equal((await request(t.url).get(`${BASE}/ServiceProviderConfig`)).status, 200);
    assert.equal((await request(t.url).get('/health')).status, 200);
    expectScimError(await request(t.url).post(`${BASE}/ServiceProviderConfig`).send({}), 405);
  });
});

describe('Token expiry bounds', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('an expiresAt after year 9999 in UTC is 400 and stores nothing', async () => {
    for (const expiresAt of ['9999-12-31T23:59:59-05:00', '9999-12-31T20:00:00-12:00']) {
      const res = await t.req('post', '/admin/tokens').send({ name: 'far-future', scopes: ['scim'], expiresAt });
      expectScimError(res, 400, 'invalidValue');
      assert.match(res.body.detail, /expiresAt/);
    }
    const rows = await t.db.query(`SELECT id FROM api_tokens WHERE name = 'far-future'`);
    assert.equal(rows.length, 0);
    const last = await t
      .req('post', '/admin/tokens')
      .send({ name: 'last-day', scopes: ['scim'], expiresAt: '9999-12-31T23:59:59Z' });
    assert.equal(last.status, 201);
    assert.equal(last.body.token.expiresAt, '9999-12-31T23:59:59.000Z');
  });
});
