import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, GROUP_SCHEMA, startTestApp, userBody, type TestApp, type TestDirectory } from '../setup/test-app.js';

/** `/directories/{slug}` + SCIM_BASE_PATH serves a directory; its tokens work there and only there. */
describe('Directories over HTTP: routing and token binding', () => {
  let t: TestApp;
  let a: TestDirectory;
  let b: TestDirectory;
  before(async () => {
    t = await startTestApp();
    a = await t.createDirectory('okta-emea');
    b = await t.createDirectory('entra');
  });
  after(async () => {
    await t.close();
  });

  it('serves a directory under its prefix, with Location and meta.location carrying the prefix', async () => {
    const created = await t.req('post', `${a.base}/Users`, a.token).send(userBody('routing.alice'));
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    const location = `${t.url}/directories/okta-emea${BASE}/Users/${id}`;
    assert.equal(created.headers['location'], location);
    assert.equal(created.body.meta.location, location);
    assert.match(String(created.headers['content-type']), /^application\/scim\+json/);
    const read = await t.req('get', `${a.base}/users/${id}`, a.token);
    assert.equal(read.status, 200);
    assert.equal(read.body.meta.location, location);
    const group = await t
      .req('post', `${a.base}/Groups`, a.token)
      .send({ schemas: [GROUP_SCHEMA], displayName: 'routing-g', members: [{ value: id }] });
    assert.equal(group.status, 201, group.text);
    assert.equal(group.body.members[0].$ref, location);
  });

  it('the default directory stays at SCIM_BASE_PATH with URLs without a prefix', async () => {
    const created = await t.req('post', `${BASE}/Users`).send(userBody('routing.default'));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers['location'], `${t.url}${BASE}/Users/${created.body.id}`);
  });

  it("a token of one directory on another's URL is 401 with the body of an unknown token", async () => {
    const unknown = await t.req('get', `${b.base}/Users`, 'scim_not-a-token-at-all');
    expectScimError(unknown, 401);
    const foreign = await t.req('get', `${b.base}/Users`, a.token);
    expectScimError(foreign, 401);
    assert.deepEqual(foreign.body, unknown.body);
    assert.equal(foreign.headers['www-authenticate'], unknown.headers['www-authenticate']);
    // The default directory's token (t.token, scim + server-wide admin) is no token of b's either.
    assert.deepEqual((await t.req('get', `${b.base}/Users`)).body, unknown.body);
    // And a's token is none of the default directory's.
    assert.deepEqual((await t.req('get', `${BASE}/Users`, a.token)).body, unknown.body);
    assert.equal((await t.req('get', `${b.base}/Users`, b.token)).status, 200);
  });

  it('an unknown or malformed slug is 401 like an unknown token, for every token and endpoint', async () => {
    const unknown = await t.req('get', `${b.base}/Users`, 'scim_not-a-token-at-all');
    for (const path of [
      `/directories/nope${BASE}/Users`,
      `/directories/NOPE${BASE}/Users`,
      `/directories/default${BASE}/Users`,
      `/directories/nope${BASE}/ServiceProviderConfig`,
      `/directories/nope${BASE}/Schemas`,
    ]) {
      for (const token of [a.token, t.token]) {
        const res = await t.req('get', path, token);
        expectScimError(res, 401);
        assert.deepEqual(res.body, unknown.body, path);
      }
    }
    const post = await t.req('post', `/directories/nope${BASE}/Users`, a.token).send(userBody('x'));
    assert.deepEqual(post.body, unknown.body);
  });

  it("discovery under a prefix needs that directory's token; the default ServiceProviderConfig stays public", async () => {
    for (const endpoint of ['ServiceProviderConfig', 'Schemas', 'ResourceTypes']) {
      const anonymous = await t.req('get', `${a.base}/${endpoint}`, '').unset('Authorization');
      expectScimError(anonymous, 401);
      expectScimError(await t.req('get', `${a.base}/${endpoint}`, b.token), 401);
      const own = await t.req('get', `${a.base}/${endpoint}`, a.token);
      assert.equal(own.status, 200, `${endpoint}: ${own.text}`);
    }
    const spc = await t.req('get', `${a.base}/ServiceProviderConfig`, a.token);
    assert.equal(spc.body.meta.location, `${t.url}${a.base}/ServiceProviderConfig`);
    const open = await t.req('get', `${BASE}/ServiceProviderConfig`, '').unset('Authorization');
    assert.equal(open.status, 200);
  });

  it('a disabled directory answers its own tokens 403 saying provisioning is disabled, others still 401', async () => {
    const c = await t.createDirectory('to-disable');
    assert.equal((await t.req('get', `${c.base}/Users`, c.token)).status, 200);
    const disabled = await t.req('post', `/admin/directories/${c.id}/disable`);
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal(disabled.body.disabled, true);
    const refused = await t.req('get', `${c.base}/Users`, c.token);
    expectScimError(refused, 403);
    assert.match(refused.body.detail, /provisioning is disabled/i);
    expectScimError(await t.req('post', `${c.base}/Users`, c.token).send(userBody('d')), 403);
    expectScimError(await t.req('get', `${c.base}/Users`, a.token), 401);
    assert.equal((await t.req('post', `/admin/directories/${c.id}/enable`)).status, 200);
    assert.equal((await t.req('get', `${c.base}/Users`, c.token)).status, 200);
  });

  it('a deleted directory is gone at once: its URL and tokens answer 401', async () => {
    const d = await t.createDirectory('to-delete');
    assert.equal((await t.req('get', `${d.base}/Users`, d.token)).status, 200);
    await t.req('post', `${d.base}/Users`, d.token).send(userBody('to-delete.u')).expect(201);
    assert.equal((await t.req('delete', `/admin/directories/${d.id}?purge=true`)).status, 202);
    expectScimError(await t.req('get', `${d.base}/Users`, d.token), 401);
    expectScimError(await t.req('get', `/admin/directories/${d.id}`), 404);
    await t.whenPurged();
  });
});
