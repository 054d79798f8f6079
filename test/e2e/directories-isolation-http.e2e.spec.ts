import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { GROUP_SCHEMA, startTestApp, userBody, type TestApp, type TestDirectory } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

interface Seeded {
  readonly user: string;
  readonly group: string;
}

/**
 * Two directories holding the same userName, externalId and group displayName: over every
 * endpoint nothing of one is read, changed or revealed through the other. Needs the
 * directory-scoped SQL (ResourceScope filtering by directory) besides the routing.
 */
describe('Directory isolation over HTTP', () => {
  let t: TestApp;
  let a: TestDirectory;
  let b: TestDirectory;
  const seeded = new Map<string, Seeded>();
  before(async () => {
    t = await startTestApp();
    a = await t.createDirectory('iso-a');
    b = await t.createDirectory('iso-b');
  });
  after(async () => {
    await t.close();
  });

  it('the same userName, externalId and group displayName can exist in both directories', async () => {
    for (const dir of [a, b]) {
      const user = await t
        .req('post', `${dir.base}/Users`, dir.token)
        .send(userBody('same.name', { externalId: 'ext-1' }));
      assert.equal(user.status, 201, `${dir.slug}: ${user.text}`);
      const group = await t
        .req('post', `${dir.base}/Groups`, dir.token)
        .send({ schemas: [GROUP_SCHEMA], displayName: 'Same Group', members: [{ value: user.body.id }] });
      assert.equal(group.status, 201, `${dir.slug}: ${group.text}`);
      seeded.set(dir.slug, { user: user.body.id, group: group.body.id });
    }
  });

  it("GET by id, PUT, PATCH and DELETE of the other directory's ids are 404", async () => {
    const other = seeded.get('iso-a');
    assert.ok(other);
    expectScimError(await t.req('get', `${b.base}/Users/${other.user}`, b.token), 404);
    expectScimError(await t.req('get', `${b.base}/Groups/${other.group}`, b.token), 404);
    expectScimError(await t.req('put', `${b.base}/Users/${other.user}`, b.token).send(userBody('taken.over')), 404);
    const op = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] };
    expectScimError(await t.req('patch', `${b.base}/Groups/${other.group}`, b.token).send(op), 404);
    expectScimError(await t.req('delete', `${b.base}/Users/${other.user}`, b.token), 404);
    const stillThere = await t.req('get', `${a.base}/Users/${other.user}`, a.token);
    assert.equal(stillThere.status, 200);
    assert.equal(stillThere.body.userName, 'same.name');
  });

  it('lists, filters (members.value, groups) and root /.search see only their own directory', async () => {
    const own = seeded.get('iso-b');
    const other = seeded.get('iso-a');
    assert.ok(own && other);
    const list = await t.req('get', `${b.base}/Users`, b.token);
    assert.deepEqual(
      list.body.Resources.map((r: { id: string }) => r.id),
      [own.user],
    );
    for (const filter of ['userName eq "same.name"', 'externalId eq "ext-1"', `groups.value eq "${other.group}"`]) {
      const res = await t.req('get', `${b.base}/Users?filter=${encodeURIComponent(filter)}`, b.token);
      assert.equal(res.status, 200, res.text);
      assert.ok(
        res.body.Resources.every((r: { id: string }) => r.id === own.user),
        filter,
      );
    }
    const byMember = await t.req(
      'get',
      `${b.base}/Groups?filter=${encodeURIComponent(`members.value eq "${other.user}"`)}`,
      b.token,
    );
    assert.equal(byMember.body.totalResults, 0);
    // Root search runs the filter on every type it is valid for (displayName: Users and Groups).
    const root = await t
      .req('post', `${b.base}/.search`, b.token)
      .send({ schemas: [SEARCH], filter: 'displayName eq "Same Group" or id eq "' + own.user + '"' });
    assert.equal(root.status, 200, root.text);
    assert.deepEqual(root.body.Resources.map((r: { id: string }) => r.id).sort(), [own.user, own.group].sort());
    const leaked = await t
      .req('post', `${b.base}/.search`, b.token)
      .send({ schemas: [SEARCH], filter: `id eq "${other.user}" or id eq "${other.group}"` });
    assert.equal(leaked.status, 200, leaked.text);
    assert.equal(leaked.body.totalResults, 0);
  });

  it('a PATCH adding a member id of the other directory is refused as unknown, and nothing changes', async () => {
    const own = seeded.get('iso-b');
    const other = seeded.get('iso-a');
    assert.ok(own && other);
    const res = await t
      .req('patch', `${b.base}/Groups/${own.group}`, b.token)
      .send({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: other.user }] }] });
    expectScimError(res, 400, 'invalidValue');
    const group = await t.req('get', `${b.base}/Groups/${own.group}`, b.token);
    assert.deepEqual(
      group.body.members.map((m: { value: string }) => m.value),
      [own.user],
    );
  });

  it("a directory-bound admin token cannot reach the other directory's admin routes", async () => {
    const admin = await t.req('post', `/admin/directories/${b.id}/tokens`).send({ name: 'b-admin', scopes: ['admin'] });
    assert.equal(admin.status, 201);
    for (const path of [`/admin/directories/${a.id}`, `/admin/directories/${a.id}/tokens`]) {
      expectScimError(await t.req('get', path, admin.body.secret), 403);
    }
  });
});
