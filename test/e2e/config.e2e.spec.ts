import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, userBody, usingPostgres, type TestApp } from '../setup/test-app.js';

describe('Absolute URLs', () => {
  it('without a public base URL, Location comes from the Host header and ignores X-Forwarded-*', async () => {
    const t = await startTestApp();
    try {
      const res = await t
        .req('post', `${BASE}/Users`)
        .set('Host', 'idp-facing.example.com:8443')
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', 'evil.example.com')
        .send(userBody('host@example.com'));
      assert.equal(res.status, 201);
      assert.equal(res.headers['location'], `http://idp-facing.example.com:8443${BASE}/Users/${res.body.id}`);
      assert.equal(res.body.meta.location, res.headers['location']);
    } finally {
      await t.close();
    }
  });

  it('with TRUST_PROXY, X-Forwarded-Proto and X-Forwarded-Host are honoured', async () => {
    const t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const res = await t
        .req('post', `${BASE}/Users`)
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', 'scim.example.com')
        .send(userBody('proxied@example.com'));
      assert.equal(res.headers['location'], `https://scim.example.com${BASE}/Users/${res.body.id}`);
    } finally {
      await t.close();
    }
  });

  it('PUBLIC_BASE_URL wins, and a custom SCIM_BASE_PATH moves the API', async () => {
    const t = await startTestApp({
      env: { PUBLIC_BASE_URL: 'https://id.example.com/', SCIM_BASE_PATH: '/tenant-a/scim' },
    });
    try {
      const res = await t.req('post', '/tenant-a/scim/Users').send(userBody('public@example.com'));
      assert.equal(res.status, 201);
      assert.equal(res.headers['location'], `https://id.example.com/tenant-a/scim/Users/${res.body.id}`);
      assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
      expectScimError(await t.req('get', `${BASE}/Users`), 404);
    } finally {
      await t.close();
    }
  });
});

describe('Schema strictness', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { STRICT_SCHEMA: 'true' } });
  });
  after(async () => {
    await t.close();
  });

  it('STRICT_SCHEMA rejects attributes no schema defines with 400 invalidValue', async () => {
    const res = await t.req('post', `${BASE}/Users`).send(userBody('strict@example.com', { favouriteColour: 'blue' }));
    expectScimError(res, 400, 'invalidValue');
    assert.match(res.body.detail, /favouriteColour/);
    assert.equal((await t.req('post', `${BASE}/Users`).send(userBody('strict@example.com'))).status, 201);
  });
});

describe('Operations', () => {
  it('GET /health needs no token and reports the database', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.url).get('/health');
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ok');
      assert.equal(res.body.info.database.status, 'up');
      if (!usingPostgres()) {
        const [mode] = await t.db.query('PRAGMA journal_mode');
        assert.equal(mode.journal_mode, 'wal');
      }
      assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      const echoed = await request(t.url).get('/health').set('X-Request-Id', 'trace-123');
      assert.equal(echoed.headers['x-request-id'], 'trace-123');
    } finally {
      await t.close();
    }
  });
});
