import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { Response } from 'supertest';
import { RateLimiterService } from '../../src/rate-limit/rate-limiter.service.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, type TestApp } from '../setup/test-app.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** A request never waits on Redis longer than its timeout: a hang fails the test instead of stalling it. */
const NO_HANG_MS = 5000;

/** A 429 of RFC 6585 §4 with a SCIM error body (RFC 7644 §3.12) and Retry-After in whole seconds. */
function expectTooMany(res: Response): void {
  expectScimError(res, 429);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${String(res.headers['retry-after'])}`);
}

async function issue(t: TestApp, path: string, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await t.req('post', path).send({ name: 'limited', scopes: ['scim'], ...body });
  assert.equal(res.status, 201, res.text);
  return { id: String(res.body.token.id), secret: String(res.body.secret) };
}

const listUsers = (t: TestApp, secret: string, base = BASE) =>
  request(t.url).get(`${base}/Users`).set('Authorization', `Bearer ${secret}`).timeout(NO_HANG_MS);

async function statuses(t: TestApp, secret: string, n: number, base = BASE): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await listUsers(t, secret, base)).status);
  return out;
}

/** Waits (bounded) until the instance's Redis client is connected, so counting starts shared. */
async function untilShared(t: TestApp): Promise<void> {
  const limiter = t.app.get(RateLimiterService);
  for (let i = 0; i < 200 && limiter.counting !== 'redis'; i++) await sleep(10);
  assert.equal(limiter.counting, 'redis');
}

describe('Rate limits on one instance (memory)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { AUTH_FAILURE_LIMIT_PER_MINUTE: '3' } });
  });
  after(async () => {
    await t.close();
  });

  it('a token with rateLimitPerMinute 3: the 4th request is 429 with Retry-After; other tokens are unaffected', async () => {
    const limited = await issue(t, '/admin/tokens', { rateLimitPerMinute: 3 });
    const rows = await t.db.query(`SELECT rate_limit_per_minute FROM api_tokens WHERE id = '${limited.id}'`);
    assert.equal(Number(rows[0].rate_limit_per_minute), 3);
    assert.deepEqual(await statuses(t, limited.secret, 3), [200, 200, 200]);
    expectTooMany(await listUsers(t, limited.secret));
    assert.equal((await listUsers(t, t.token)).status, 200);
    const view = await t.req('get', `/admin/tokens/${limited.id}`);
    assert.equal(view.body.rateLimitPerMinute, 3);
  });

  it('a /Bulk request costs one per operation: refused whole (429, no operation run) when its operations exceed the budget', async () => {
    const limited = await issue(t, '/admin/tokens', { rateLimitPerMinute: 5 });
    const bulk = (names: string[]) =>
      request(t.url)
        .post(`${BASE}/Bulk`)
        .set('Authorization', `Bearer ${limited.secret}`)
        .set('Content-Type', 'application/scim+json')
        .send({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: names.map((userName) => ({
            method: 'POST',
            path: '/Users',
            bulkId: userName,
            data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName },
          })),
        });
    const first = await bulk(['bulk-rl-1', 'bulk-rl-2', 'bulk-rl-3', 'bulk-rl-4']);
    assert.equal(first.status, 200, first.text);
    expectTooMany(await bulk(['bulk-rl-5', 'bulk-rl-6']));
    const rows = await t.db.query(`SELECT user_name FROM users WHERE user_name LIKE 'bulk-rl-%' ORDER BY user_name`);
    assert.deepEqual(
      rows.map((r: { user_name: string }) => r.user_name),
      ['bulk-rl-1', 'bulk-rl-2', 'bulk-rl-3', 'bulk-rl-4'],
    );
    // The refused request's arrival was charged (one, before its body was read): the budget is spent.
    expectTooMany(await listUsers(t, limited.secret));
  });

  it('a /Bulk request with more operations than the budget can ever hold is 413 (split it), not a 429 to retry forever', async () => {
    const limited = await issue(t, '/admin/tokens', { rateLimitPerMinute: 3 });
    const res = await request(t.url)
      .post(`${BASE}/Bulk`)
      .set('Authorization', `Bearer ${limited.secret}`)
      .set('Content-Type', 'application/scim+json')
      .send({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [1, 2, 3, 4].map((i) => ({
          method: 'POST',
          path: '/Users',
          bulkId: `b${i}`,
          data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `too-big-${i}` },
        })),
      });
    expectScimError(res, 413);
    assert.equal(res.headers['retry-after'], undefined);
    assert.match(res.body.detail, /at most 3 operations/);
    assert.equal((await t.db.query(`SELECT id FROM users WHERE user_name LIKE 'too-big-%'`)).length, 0);
  });

  it('rateLimitPerMinute is bounded at creation (400)', async () => {
    const res = await t.req('post', '/admin/tokens').send({ name: 'x', scopes: ['scim'], rateLimitPerMinute: -1 });
    expectScimError(res, 400, 'invalidValue');
  });

  it("a directory's rateLimitPerMinute is the total of all its tokens", async () => {
    const capped = await t.createDirectory('capped', { rateLimitPerMinute: 4 });
    const second = await issue(t, `/admin/directories/${capped.id}/tokens`, {});
    assert.deepEqual(await statuses(t, capped.token, 2, capped.base), [200, 200]);
    assert.deepEqual(await statuses(t, second.secret, 2, capped.base), [200, 200]);
    expectTooMany(await listUsers(t, capped.token, capped.base));
    expectTooMany(await listUsers(t, second.secret, capped.base));
    assert.equal((await listUsers(t, t.token)).status, 200, 'another directory keeps its budget');
  });

  it('failed authentication from one address is 429 beyond the limit; a valid token from it is still served', async () => {
    // Without TRUST_PROXY, X-Forwarded-For is the client's own claim: failures count by the socket address.
    const bad = (i: number) =>
      request(t.url)
        .get(`${BASE}/Users`)
        .set('Authorization', 'Bearer not-a-token')
        .set('X-Forwarded-For', `203.0.113.${i}`);
    for (let i = 0; i < 3; i++) expectScimError(await bad(i), 401);
    expectTooMany(await bad(9));
    expectTooMany(await request(t.url).get(`${BASE}/Users`));
    assert.equal((await listUsers(t, t.token)).status, 200);
  });
});

describe('Rate limits shared through Redis', () => {
  const prefix = `scim-test:${randomBytes(6).toString('hex')}:`;
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix };
  let a: TestApp & { sqlitePath?: string };
  let b: TestApp;
  before(async () => {
    a = await startTestApp({ env });
    b = await startTestApp({ env, keepData: true, ...(a.sqlitePath ? { sqlitePath: a.sqlitePath } : {}) });
    await untilShared(a);
    await untilShared(b);
  });
  after(async () => {
    await b.app.close();
    await a.close();
  });

  it('two instances count one budget per token', async () => {
    const limited = await issue(a, '/admin/tokens', { rateLimitPerMinute: 3 });
    assert.equal((await listUsers(a, limited.secret)).status, 200);
    assert.equal((await listUsers(b, limited.secret)).status, 200);
    assert.equal((await listUsers(a, limited.secret)).status, 200);
    expectTooMany(await listUsers(b, limited.secret));
    expectTooMany(await listUsers(a, limited.secret));
  });
});

describe('Rate limits while Redis is unreachable', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({
      env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_TIMEOUT_MS: '100', RATE_LIMIT_PER_MINUTE: '3' },
    });
  });
  after(async () => {
    await t.close();
  });

  it('requests are served and limited per instance, in memory; readiness does not depend on Redis', async () => {
    assert.equal(t.app.get(RateLimiterService).counting, 'memory');
    // No rateLimitPerMinute: RATE_LIMIT_PER_MINUTE (3) applies; 0 switches the token's limit off.
    const limited = await issue(t, '/admin/tokens', {});
    const unlimited = await issue(t, '/admin/tokens', { rateLimitPerMinute: 0 });
    assert.deepEqual(await statuses(t, limited.secret, 3), [200, 200, 200]);
    expectTooMany(await listUsers(t, limited.secret));
    assert.deepEqual(await statuses(t, unlimited.secret, 5), [200, 200, 200, 200, 200]);
    assert.equal((await request(t.url).get('/health').timeout(NO_HANG_MS)).status, 200);
  });
});
