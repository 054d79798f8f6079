import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, usingPostgres, type TestApp } from '../setup/test-app.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Collects what the server prints about tokens while `fn` runs; the test reporter's own output passes through. */
async function capturingStdout<T>(sink: string[], fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (/First start|scim_[A-Za-z0-9_-]{43}/.test(text)) {
      sink.push(text);
      return true;
    }
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  };
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

describe('Admin token API', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('creates a token whose secret is shown once and stored only as a SHA-256 hash', async () => {
    const res = await t.req('post', '/admin/tokens').send({ name: 'okta', scopes: ['scim'] });
    assert.equal(res.status, 201);
    const { secret, token } = res.body;
    assert.match(secret, /^scim_[A-Za-z0-9_-]{43}$/, '256 random bits, base64url, with a recognisable prefix');
    assert.equal(token.name, 'okta');
    assert.deepEqual(token.scopes, ['scim']);
    assert.equal(token.status, 'active');
    assert.equal(token.prefix, secret.slice(0, 12));
    const rows = await t.db.query(`SELECT * FROM api_tokens WHERE id = '${token.id}'`);
    assert.equal(rows[0].secret_hash, sha256(secret));
    assert.doesNotMatch(JSON.stringify(rows), new RegExp(secret.slice(12)));
    const list = await t.req('get', '/admin/tokens');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.text, new RegExp(secret.slice(12)));
    assert.doesNotMatch(list.text, /secret|hash/i);
    const one = await t.req('get', `/admin/tokens/${token.id}`);
    assert.deepEqual(one.body, token);
    assert.equal((await t.req('get', `${BASE}/Users`, secret)).status, 200);
  });

  it('records lastUsedAt, but not on every request', async () => {
    const created = await t.req('post', '/admin/tokens').send({ name: 'usage', scopes: ['scim'] });
    const { secret, token } = created.body;
    assert.equal(token.lastUsedAt, null);
    await t.req('get', `${BASE}/Users`, secret);
    let first: string | null = null;
    for (let i = 0; i < 50 && !first; i++) {
      first = (await t.req('get', `/admin/tokens/${token.id}`)).body.lastUsedAt;
      if (!first) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(first, 'lastUsedAt was written');
    await t.req('get', `${BASE}/Users`, secret);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await t.req('get', `/admin/tokens/${token.id}`)).body.lastUsedAt, first);
  });

  it('revokes: 401 afterwards, and a second revoke keeps the first time', async () => {
    const { body } = await t.req('post', '/admin/tokens').send({ name: 'revoke-me', scopes: ['scim'] });
    const first = await t.req('post', `/admin/tokens/${body.token.id}/revoke`);
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'revoked');
    expectScimError(await t.req('get', `${BASE}/Users`, body.secret), 401);
    const again = await t.req('delete', `/admin/tokens/${body.token.id}`);
    assert.equal(again.body.revokedAt, first.body.revokedAt);
  });

  it('rotates without downtime: the successor works, the old one works for the grace period', async () => {
    const { body } = await t.req('post', '/admin/tokens').send({
      name: 'rotating',
      scopes: ['scim'],
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const rotated = await t.req('post', `/admin/tokens/${body.token.id}/rotate`).send({ graceSeconds: 3600 });
    assert.equal(rotated.status, 201);
    assert.notEqual(rotated.body.secret, body.secret);
    assert.equal(rotated.body.token.name, 'rotating');
    assert.ok(rotated.body.token.expiresAt, 'the successor keeps a limited lifetime');
    assert.equal((await t.req('get', `${BASE}/Users`, rotated.body.secret)).status, 200);
    assert.equal((await t.req('get', `${BASE}/Users`, body.secret)).status, 200);
    const old = await t.req('get', `/admin/tokens/${body.token.id}`);
    assert.ok(Date.parse(old.body.expiresAt) <= Date.now() + 3600_000 + 5000);
    const immediate = await t.req('post', `/admin/tokens/${rotated.body.token.id}/rotate`).send({});
    assert.equal(immediate.status, 201);
    expectScimError(await t.req('get', `${BASE}/Users`, rotated.body.secret), 401);
    assert.equal((await t.req('get', `${BASE}/Users`, immediate.body.secret)).status, 200);
  });

  it('validates admin input with SCIM error bodies', async () => {
    expectScimError(await t.req('post', '/admin/tokens').send({ scopes: ['scim'] }), 400, 'invalidValue');
    expectScimError(await t.req('post', '/admin/tokens').send({ name: 'x', scopes: ['root'] }), 400, 'invalidValue');
    expectScimError(await t.req('post', '/admin/tokens').send({ name: 'x', scopes: [] }), 400, 'invalidValue');
    expectScimError(
      await t.req('post', '/admin/tokens').send({ name: 'x', scopes: ['scim'], expiresAt: '2001-01-01T00:00:00Z' }),
      400,
      'invalidValue',
    );
    expectScimError(await t.req('get', '/admin/tokens/5d0f7d36-0000-4000-8000-000000000000'), 404);
    expectScimError(await t.req('get', '/admin/tokens/not-a-uuid'), 400, 'invalidValue');
  });

  it('HTTP Basic is off by default', async () => {
    const basic = `Basic ${Buffer.from(`idp:${t.token}`).toString('base64')}`;
    const res = await t.req('get', `${BASE}/Users`).set('Authorization', basic);
    expectScimError(res, 401);
  });
});

describe('Token bootstrap', () => {
  const secret = `bootstrap-secret-${'x'.repeat(24)}`;

  it('SCIM_BOOTSTRAP_TOKEN is ensured idempotently, and once revoked stays revoked across restarts', async () => {
    const first = await startTestApp({ env: { SCIM_BOOTSTRAP_TOKEN: secret } });
    const path = first.sqlitePath;
    try {
      assert.equal((await first.req('get', `${BASE}/Users`, secret)).status, 200);
      assert.equal((await first.req('get', '/admin/tokens', secret)).status, 200, 'both scopes');
    } finally {
      await first.app.close();
    }
    const second = await startTestApp({
      env: { SCIM_BOOTSTRAP_TOKEN: secret },
      keepData: true,
      ...(path ? { sqlitePath: path } : {}),
    });
    try {
      const rows = await second.db.query(`SELECT id FROM api_tokens WHERE secret_hash = '${sha256(secret)}'`);
      assert.equal(rows.length, 1);
      assert.equal((await second.req('post', `/admin/tokens/${rows[0].id}/revoke`)).status, 200);
    } finally {
      await second.app.close();
    }
    const third = await startTestApp({
      env: { SCIM_BOOTSTRAP_TOKEN: secret },
      keepData: true,
      ...(path ? { sqlitePath: path } : {}),
    });
    try {
      expectScimError(await third.req('get', `${BASE}/Users`, secret), 401);
      const rows = await third.db.query(`SELECT revoked_at FROM api_tokens WHERE secret_hash = '${sha256(secret)}'`);
      assert.equal(rows.length, 1);
      assert.ok(rows[0].revoked_at);
    } finally {
      await third.close();
    }
  });

  it('without it, a fresh database prints one admin token at first start, and only then', async () => {
    const printed: string[] = [];
    const first = await capturingStdout(printed, () => startTestApp({ env: { SCIM_BOOTSTRAP_TOKEN: '' } }));
    const path = first.sqlitePath;
    const adminSecret = /(scim_[A-Za-z0-9_-]{43})/.exec(printed.join(''))?.[1];
    try {
      assert.ok(adminSecret, 'an admin token was printed');
      assert.equal((await first.req('get', '/admin/tokens', adminSecret)).status, 200);
      expectScimError(await first.req('get', `${BASE}/Users`, adminSecret), 403);
      const issued = await first.req('post', '/admin/tokens', adminSecret).send({ name: 'entra', scopes: ['scim'] });
      assert.equal((await first.req('get', `${BASE}/Users`, issued.body.secret)).status, 200);
    } finally {
      await first.app.close();
    }
    const again: string[] = [];
    const second = await capturingStdout(again, () =>
      startTestApp({ env: { SCIM_BOOTSTRAP_TOKEN: '' }, keepData: true, ...(path ? { sqlitePath: path } : {}) }),
    );
    try {
      assert.doesNotMatch(again.join(''), /scim_[A-Za-z0-9_-]{43}/);
      const rows = await second.db.query(`SELECT name FROM api_tokens WHERE name = 'initial-admin'`);
      assert.equal(rows.length, 1);
    } finally {
      await second.close();
    }
  });

  it('HTTP Basic works when enabled, with an issued token as the password', async () => {
    const t = await startTestApp({ env: { AUTH_BASIC_ENABLED: 'true' } });
    try {
      const basic = `Basic ${Buffer.from(`okta:${t.token}`).toString('base64')}`;
      const res = await t.req('get', `${BASE}/Users`).set('Authorization', basic);
      assert.equal(res.status, 200);
      const wrong = `Basic ${Buffer.from('okta:wrong').toString('base64')}`;
      expectScimError(await t.req('get', `${BASE}/Users`).set('Authorization', wrong), 401);
      const spc = await t.req('get', `${BASE}/ServiceProviderConfig`);
      assert.ok(spc.body.authenticationSchemes.some((s: { type: string }) => s.type === 'httpbasic'));
    } finally {
      await t.close();
    }
  });

  it(`runs against ${usingPostgres() ? 'PostgreSQL' : 'SQLite'}`, async () => {
    const t = await startTestApp();
    try {
      assert.equal(t.dialect, usingPostgres() ? 'postgres' : 'sqlite');
    } finally {
      await t.close();
    }
  });
});
