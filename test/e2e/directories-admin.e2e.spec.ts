import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, type TestApp, type TestDirectory } from '../setup/test-app.js';

/** /admin/directories: create, list, get, change settings, disable/enable; and each directory's tokens. */
describe('Admin API: directories', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { PATCH_LENIENT: 'false' } });
  });
  after(async () => {
    await t.close();
  });

  it('creates a directory: 201 with its view, stored in the directories table', async () => {
    const res = await t
      .req('post', '/admin/directories')
      .send({ slug: 'okta-emea', displayName: 'Okta EMEA', settings: { groupPatchStatus: 204 } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.slug, 'okta-emea');
    assert.equal(res.body.displayName, 'Okta EMEA');
    assert.deepEqual(res.body.settings, { groupPatchStatus: 204 });
    assert.deepEqual(res.body.effectiveSettings, {
      patchLenient: false,
      groupPatchStatus: 204,
      unknownMembers: 'reject',
      strictSchema: false,
      deletionPolicy: 'hard',
      groupDisplayNameUnique: true,
      rateLimitPerMinute: 0,
    });
    assert.equal(res.body.disabled, false);
    assert.equal(res.body.scimBasePath, `/directories/okta-emea${BASE}`);
    assert.equal(res.body.version, 1);
    assert.ok(Number.isSafeInteger(res.body.id) && res.body.id > 1);
    const rows = await t.db.query(`SELECT slug, display_name, settings FROM directories WHERE id = ${res.body.id}`);
    assert.deepEqual(rows, [{ slug: 'okta-emea', display_name: 'Okta EMEA', settings: '{"groupPatchStatus":204}' }]);
  });

  it('refuses a taken slug (409), a reserved or malformed one and unknown or invalid settings (400)', async () => {
    expectScimError(await t.req('post', '/admin/directories').send({ slug: 'okta-emea' }), 409, 'uniqueness');
    for (const slug of ['default', 'Okta', 'a_b', '-a', 'a-', '', 'x'.repeat(64), 'a/b', 7]) {
      expectScimError(await t.req('post', '/admin/directories').send({ slug }), 400, 'invalidValue');
    }
    expectScimError(await t.req('post', '/admin/directories').send({}), 400, 'invalidValue');
    for (const settings of [{ nope: true }, { groupPatchStatus: 201 }, { unknownMembers: 'skip' }, [], 'x']) {
      const res = await t.req('post', '/admin/directories').send({ slug: 'bad-settings', settings });
      expectScimError(res, 400, 'invalidValue');
      assert.match(res.body.detail, /settings/);
    }
    assert.equal((await t.db.query(`SELECT id FROM directories WHERE slug = 'bad-settings'`)).length, 0);
    assert.equal((await t.req('post', '/admin/directories').send({ slug: 'x'.repeat(63) })).status, 201);
  });

  it('lists live directories in id order, in pages', async () => {
    const all = await t.req('get', '/admin/directories');
    assert.equal(all.status, 200);
    const slugs = all.body.directories.map((d: { slug: string }) => d.slug);
    assert.deepEqual(slugs, ['default', 'okta-emea', 'x'.repeat(63)]);
    assert.equal(all.body.directories[0].scimBasePath, BASE);
    assert.equal(all.body.next, undefined);
    const first = await t.req('get', '/admin/directories?count=2');
    assert.equal(first.body.directories.length, 2);
    const rest = await t.req('get', `/admin/directories?count=2&after=${first.body.next}`);
    assert.deepEqual(
      rest.body.directories.map((d: { slug: string }) => d.slug),
      ['x'.repeat(63)],
    );
    expectScimError(await t.req('get', '/admin/directories?count=0'), 400, 'invalidValue');
  });

  it('gets one by id; an unknown id is 404, a malformed one 400', async () => {
    const [row] = await t.db.query(`SELECT id FROM directories WHERE slug = 'okta-emea'`);
    const res = await t.req('get', `/admin/directories/${row.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.slug, 'okta-emea');
    expectScimError(await t.req('get', '/admin/directories/999999'), 404);
    expectScimError(await t.req('get', '/admin/directories/abc'), 400, 'invalidValue');
    expectScimError(await t.req('get', '/admin/directories/99999999999'), 400, 'invalidValue');
  });

  it('PATCH changes displayName and merges settings; null unsets one (it follows the environment again)', async () => {
    const [row] = await t.db.query(`SELECT id FROM directories WHERE slug = 'okta-emea'`);
    const changed = await t
      .req('patch', `/admin/directories/${row.id}`)
      .send({ displayName: 'Okta (EMEA)', settings: { patchLenient: true, unknownMembers: 'ignore' } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.displayName, 'Okta (EMEA)');
    assert.deepEqual(changed.body.settings, { groupPatchStatus: 204, patchLenient: true, unknownMembers: 'ignore' });
    assert.equal(changed.body.version, 2);
    const unset = await t.req('patch', `/admin/directories/${row.id}`).send({ settings: { groupPatchStatus: null } });
    assert.deepEqual(unset.body.settings, { patchLenient: true, unknownMembers: 'ignore' });
    assert.equal(unset.body.effectiveSettings.groupPatchStatus, 200);
    assert.equal(unset.body.effectiveSettings.patchLenient, true);
    assert.equal(unset.body.slug, 'okta-emea');
    expectScimError(
      await t.req('patch', `/admin/directories/${row.id}`).send({ settings: { x: 1 } }),
      400,
      'invalidValue',
    );
    expectScimError(await t.req('patch', '/admin/directories/999999').send({ displayName: 'x' }), 404);
    // The slug is immutable: not a field of the update.
    const again = await t.req('get', `/admin/directories/${row.id}`);
    assert.equal(again.body.slug, 'okta-emea');
    assert.equal(again.body.version, 3);
  });

  it('needs the admin scope (403) and a token (401)', async () => {
    const scimOnly = await t.issueToken(['scim'], 'scim-only');
    expectScimError(await t.req('get', '/admin/directories', scimOnly), 403);
    expectScimError(await t.req('get', '/admin/directories', 'nope'), 401);
  });
});

describe('Admin API: the tokens of a directory and directory-bound admin tokens', () => {
  let t: TestApp;
  let a: TestDirectory;
  let b: TestDirectory;
  let adminA = '';
  before(async () => {
    t = await startTestApp();
    a = await t.createDirectory('dir-a');
    b = await t.createDirectory('dir-b');
  });
  after(async () => {
    await t.close();
  });

  it("/admin/directories/:id/tokens issues, lists and gets that directory's tokens only", async () => {
    const issued = await t
      .req('post', `/admin/directories/${a.id}/tokens`)
      .send({ name: 'a-admin', scopes: ['admin'] });
    assert.equal(issued.status, 201, issued.text);
    assert.equal(issued.body.token.directoryId, a.id);
    assert.equal(issued.body.token.serverWide, false);
    adminA = issued.body.secret;
    const listA = await t.req('get', `/admin/directories/${a.id}/tokens`);
    assert.deepEqual(listA.body.tokens.map((x: { name: string }) => x.name).sort(), ['a-admin', 'dir-a-scim']);
    assert.ok(listA.body.tokens.every((x: { directoryId: number }) => x.directoryId === a.id));
    const defaults = await t.req('get', '/admin/tokens');
    assert.ok(defaults.body.tokens.every((x: { directoryId: number }) => x.directoryId === 1));
    assert.ok(!defaults.body.tokens.some((x: { name: string }) => x.name.startsWith('dir-')));
    const own = await t.req('get', `/admin/directories/${a.id}/tokens/${issued.body.token.id}`);
    assert.equal(own.status, 200);
    expectScimError(await t.req('get', `/admin/directories/${b.id}/tokens/${issued.body.token.id}`), 404);
    expectScimError(await t.req('get', `/admin/tokens/${issued.body.token.id}`), 404);
    expectScimError(await t.req('post', `/admin/tokens/${issued.body.token.id}/revoke`), 404);
    expectScimError(await t.req('get', '/admin/directories/999999/tokens'), 404);
    const [row] = await t.db.query(
      `SELECT directory_id, server_wide FROM api_tokens WHERE id = '${issued.body.token.id}'`,
    );
    assert.equal(Number(row.directory_id), a.id);
    assert.equal(Boolean(row.server_wide), false);
  });

  it('a directory-bound admin token manages its directory and is 403 everywhere else', async () => {
    assert.equal((await t.req('get', `/admin/directories/${a.id}`, adminA)).status, 200);
    assert.equal((await t.req('get', `/admin/directories/${a.id}/tokens`, adminA)).status, 200);
    const patched = await t
      .req('patch', `/admin/directories/${a.id}`, adminA)
      .send({ settings: { strictSchema: true } });
    assert.equal(patched.status, 200, patched.text);
    const issued = await t
      .req('post', `/admin/directories/${a.id}/tokens`, adminA)
      .send({ name: 'a2', scopes: ['scim'] });
    assert.equal(issued.status, 201);
    assert.equal((await t.req('get', `${a.base}/Users`, issued.body.secret)).status, 200);
    const refused: [Parameters<TestApp['req']>[0], string, object?][] = [
      ['get', `/admin/directories/${b.id}`],
      ['patch', `/admin/directories/${b.id}`, { displayName: 'x' }],
      ['post', `/admin/directories/${b.id}/disable`],
      ['get', `/admin/directories/${b.id}/tokens`],
      ['post', `/admin/directories/${b.id}/tokens`, { name: 'x', scopes: ['scim'] }],
      ['get', '/admin/directories'],
      ['post', '/admin/directories', { slug: 'by-bound' }],
      ['delete', `/admin/directories/${a.id}`],
      ['delete', `/admin/directories/${b.id}?purge=true`],
      ['get', '/admin/tokens'],
      ['post', '/admin/tokens', { name: 'x', scopes: ['admin'] }],
      ['get', '/admin/directories/999999'],
    ];
    for (const [method, path, body] of refused) {
      const res = await t.req(method, path, adminA).send(body);
      expectScimError(res, 403);
      assert.match(res.body.detail, /own directory/, `${method} ${path}`);
    }
    expectScimError(
      await t
        .req('post', `/admin/directories/${a.id}/tokens`, adminA)
        .send({ name: 'x', scopes: ['admin'], serverWide: true }),
      403,
    );
    assert.equal((await t.db.query(`SELECT id FROM directories WHERE slug = 'by-bound'`)).length, 0);
    // Its admin scope is no scim scope: the SCIM API of its directory refuses it.
    expectScimError(await t.req('get', `${a.base}/Users`, adminA), 403);
  });

  it('a server-wide admin token can issue a server-wide admin token; serverWide needs the admin scope', async () => {
    const wide = await t.req('post', '/admin/tokens').send({ name: 'wide', scopes: ['admin'], serverWide: true });
    assert.equal(wide.status, 201, wide.text);
    assert.equal(wide.body.token.serverWide, true);
    assert.equal((await t.req('get', `/admin/directories/${b.id}`, wide.body.secret)).status, 200);
    expectScimError(
      await t.req('post', '/admin/tokens').send({ name: 'x', scopes: ['scim'], serverWide: true }),
      400,
      'invalidValue',
    );
  });

  it("rotation keeps the token's directory and binding", async () => {
    const [row] = await t.db.query(`SELECT id FROM api_tokens WHERE name = 'a-admin'`);
    const rotated = await t.req('post', `/admin/directories/${a.id}/tokens/${row.id}/rotate`).send({});
    assert.equal(rotated.status, 201, rotated.text);
    assert.equal(rotated.body.token.directoryId, a.id);
    assert.equal(rotated.body.token.serverWide, false);
    const successor = rotated.body.secret;
    assert.equal((await t.req('get', `/admin/directories/${a.id}`, successor)).status, 200);
    expectScimError(await t.req('get', `/admin/directories/${b.id}`, successor), 403);
    const scim = await t.req('post', `/admin/directories/${b.id}/tokens`).send({ name: 'b-scim-2', scopes: ['scim'] });
    const next = await t.req('post', `/admin/directories/${b.id}/tokens/${scim.body.token.id}/rotate`).send({});
    assert.equal(next.body.token.directoryId, b.id);
    assert.equal((await t.req('get', `${b.base}/Users`, next.body.secret)).status, 200);
    expectScimError(await t.req('get', `${a.base}/Users`, next.body.secret), 401);
    const revoked = await t.req('post', `/admin/directories/${b.id}/tokens/${next.body.token.id}/revoke`);
    assert.equal(revoked.body.status, 'revoked');
  });
});

describe('Admin API: the bound on live directories (MAX_DIRECTORIES)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { MAX_DIRECTORIES: '3' } });
  });
  after(async () => {
    await t.close();
  });

  it('refuses a creation past the bound with 409 and no row; a deleted directory frees its place', async () => {
    const ids: number[] = [];
    for (const slug of ['bound-a', 'bound-b']) {
      const res = await t.req('post', '/admin/directories').send({ slug });
      assert.equal(res.status, 201, res.text);
      ids.push(Number(res.body.id));
    }
    const refused = await t.req('post', '/admin/directories').send({ slug: 'bound-c' });
    expectScimError(refused, 409);
    assert.match(refused.body.detail, /maximum of 3 directories/);
    assert.equal((await t.db.query(`SELECT id FROM directories WHERE slug = 'bound-c'`)).length, 0);
    assert.equal((await t.req('delete', `/admin/directories/${ids[0]}`)).status, 204);
    assert.equal((await t.req('post', '/admin/directories').send({ slug: 'bound-c' })).status, 201);
  });
});
