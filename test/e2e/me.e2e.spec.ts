import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, userBody, type TestApp, type TestDirectory } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

async function createUser(t: TestApp, userName: string, base = BASE, token = t.token): Promise<string> {
  const res = await t.req('post', `${base}/Users`, token).send(userBody(userName, { displayName: userName }));
  assert.equal(res.status, 201, res.text);
  return String(res.body.id);
}

async function bind(t: TestApp, path: string, userId: string, extra: Record<string, unknown> = {}) {
  return t.req('post', path).send({ name: 'me', scopes: ['scim'], userId, ...extra });
}

/** RFC 7644 §3.11: /Me is the bound user's resource, served through the Users handlers. */
describe('/Me', () => {
  let t: TestApp;
  let other: TestDirectory;
  let aliceId: string;
  let me: string;
  let meTokenId: string;
  before(async () => {
    t = await startTestApp();
    other = await t.createDirectory('other-idp');
    aliceId = await createUser(t, 'alice');
    const res = await bind(t, '/admin/tokens', aliceId, { rateLimitPerMinute: 500 });
    assert.equal(res.status, 201, res.text);
    me = String(res.body.secret);
    meTokenId = String(res.body.token.id);
  });
  after(async () => {
    await t.close();
  });

  it('GET /Me is the bound user, with its canonical /Users/{id} Location, meta.location and ETag', async () => {
    const res = await t.req('get', `${BASE}/Me`, me);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, aliceId);
    assert.equal(res.body.userName, 'alice');
    assert.equal(res.body.meta.location, `${t.url}${BASE}/Users/${aliceId}`);
    assert.equal(res.headers['location'], res.body.meta.location);
    assert.equal(res.headers['etag'], res.body.meta.version);
    const projected = await t.req('get', `${BASE}/Me?attributes=userName`, me);
    assert.deepEqual(Object.keys(projected.body).sort(), ['id', 'schemas', 'userName']);
    for (const alias of [`${BASE}/me`, `${BASE}/Me/`]) assert.equal((await t.req('get', alias, me)).status, 200, alias);
    const unchanged = await t.req('get', `${BASE}/Me`, me).set('If-None-Match', String(res.headers['etag']));
    assert.equal(unchanged.status, 304);
    const rows = await t.db.query(`SELECT user_id FROM api_tokens WHERE id = '${meTokenId}'`);
    assert.equal(rows[0].user_id, aliceId);
  });

  it('PATCH and PUT /Me change the bound user (If-Match honoured)', async () => {
    const patched = await t
      .req('patch', `${BASE}/Me`, me)
      .send({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Alice A' }] });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.displayName, 'Alice A');
    const stale = await t.req('put', `${BASE}/Me`, me).set('If-Match', 'W/"1"').send(userBody('alice'));
    expectScimError(stale, 412);
    const put = await t.req('put', `${BASE}/Me`, me).send(userBody('alice', { title: 'Engineer' }));
    assert.equal(put.status, 200, put.text);
    assert.equal(put.headers['location'], `${t.url}${BASE}/Users/${aliceId}`);
    const stored = await t.req('get', `${BASE}/Users/${aliceId}`);
    assert.equal(stored.body.title, 'Engineer');
    assert.equal(stored.body.displayName, undefined, 'PUT replaced the resource');
  });

  it('a bound token is 403 on every other endpoint', async () => {
    for (const path of [
      `${BASE}/Users`,
      `${BASE}/Users/${aliceId}`,
      `${BASE}/Groups`,
      `${BASE}/Schemas`,
      '/admin/tokens',
    ])
      expectScimError(await t.req('get', path, me), 403);
    expectScimError(await t.req('post', `${BASE}/Users`, me).send(userBody('mallory')), 403);
  });

  it('a token bound to no user: /Me is 501; POST /Me is 501', async () => {
    expectScimError(await t.req('get', `${BASE}/Me`), 501);
    const op = { op: 'replace', path: 'displayName', value: 'x' };
    expectScimError(await t.req('patch', `${BASE}/Me`).send({ schemas: [PATCH_OP], Operations: [op] }), 501);
    expectScimError(await t.req('delete', `${BASE}/Me`), 501);
    expectScimError(await t.req('post', `${BASE}/Me`, me).send(userBody('alice2')), 501);
  });

  it("userId must name a user of the token's own directory, and the token's one scope is scim (400)", async () => {
    expectScimError(await bind(t, `/admin/directories/${other.id}/tokens`, aliceId), 400, 'invalidValue');
    expectScimError(await bind(t, '/admin/tokens', '00000000-0000-4000-8000-000000000000'), 400, 'invalidValue');
    expectScimError(await bind(t, '/admin/tokens', aliceId, { scopes: ['scim', 'admin'] }), 400, 'invalidValue');
    const rows = await t.db.query(`SELECT COUNT(*) AS n FROM api_tokens WHERE user_id IS NOT NULL`);
    assert.equal(Number(rows[0].n), 1);
  });

  it("a bound token of another directory serves /Me on that directory's base URL", async () => {
    const bobId = await createUser(t, 'bob', other.base, other.token);
    const res = await bind(t, `/admin/directories/${other.id}/tokens`, bobId);
    assert.equal(res.status, 201, res.text);
    const got = await t.req('get', `${other.base}/Me`, String(res.body.secret));
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.meta.location, `${t.url}${other.base}/Users/${bobId}`);
    expectScimError(await t.req('get', `${BASE}/Me`, String(res.body.secret)), 401);
  });

  it('rotation keeps the user binding and the rate limit', async () => {
    const rotated = await t.req('post', `/admin/tokens/${meTokenId}/rotate`).send({ graceSeconds: 60 });
    assert.equal(rotated.status, 201, rotated.text);
    assert.equal(rotated.body.token.userId, aliceId);
    assert.equal(rotated.body.token.rateLimitPerMinute, 500);
    const rows = await t.db.query(
      `SELECT user_id, rate_limit_per_minute FROM api_tokens WHERE id = '${String(rotated.body.token.id)}'`,
    );
    assert.equal(rows[0].user_id, aliceId);
    assert.equal(Number(rows[0].rate_limit_per_minute), 500);
    assert.equal((await t.req('get', `${BASE}/Me`, String(rotated.body.secret))).status, 200);
  });

  it('DELETE /Me deletes the bound user; /Me is then 404', async () => {
    assert.equal((await t.req('delete', `${BASE}/Me`, me)).status, 204);
    expectScimError(await t.req('get', `${BASE}/Me`, me), 404);
    expectScimError(await t.req('get', `${BASE}/Users/${aliceId}`), 404);
    const rows = await t.db.query(`SELECT id FROM users WHERE id = '${aliceId}'`);
    assert.equal(rows.length, 0);
  });
});
