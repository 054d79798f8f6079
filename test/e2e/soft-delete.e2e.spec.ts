import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { DeletedPurgeService } from '../../src/deleted/deleted-purge.service.js';
import { ACME, acmeDefinition, schemasPath } from '../setup/extension-helpers.js';
import { AuditFailures } from '../../src/audit/audit-failures.service.js';
import { GROUP_SCHEMA, startTestApp, userBody, type TestApp, type TestDirectory } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const DAY = 86_400_000;

/**
 * deletionPolicy "soft" (per directory): a deleted User or Group keeps its row, hidden from
 * every read (RFC 7644 §3.6: 404 on every operation), its userName free at once; the admin
 * API lists, restores and purges it; the retention purge deletes it later. "hard" is unchanged.
 */
describe('Soft delete', () => {
  let t: TestApp;
  let soft: TestDirectory;
  let hard: TestDirectory;

  const rows = (sql: string, params: SqlParam[] = []): Promise<Record<string, unknown>[]> =>
    t.db.query<Record<string, unknown>[]>(...toDriverQuery(t.dialect, sql, params));
  const row = async (table: 'users' | 'groups', id: string): Promise<Record<string, unknown> | undefined> =>
    (await rows(`SELECT id, directory_id, deleted_at FROM ${table} WHERE id = $1`, [id]))[0];
  const memberships = async (id: string): Promise<number> =>
    Number(
      (await rows('SELECT COUNT(*) AS n FROM group_members WHERE member_id = $1 OR group_id = $1', [id]))[0]?.['n'],
    );
  const multiValues = async (id: string): Promise<number> =>
    Number((await rows('SELECT COUNT(*) AS n FROM multi_values WHERE resource_id = $1', [id]))[0]?.['n']);

  const scim = (d: TestDirectory, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) =>
    t.req(method, `${d.base}${path}`, d.token);
  const admin = (d: TestDirectory, method: 'get' | 'post' | 'delete', path = '') =>
    t.req(method, `/admin/directories/${d.id}/deleted${path}`);
  const createUser = async (d: TestDirectory, userName: string, extra: Record<string, unknown> = {}) => {
    const res = await scim(d, 'post', '/Users').send(userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return String(res.body.id);
  };
  const createGroup = async (d: TestDirectory, displayName: string, members: string[] = []) => {
    const res = await scim(d, 'post', '/Groups').send({
      schemas: [GROUP_SCHEMA],
      displayName,
      members: members.map((value) => ({ value })),
    });
    assert.equal(res.status, 201, res.text);
    return String(res.body.id);
  };
  const listIds = async (d: TestDirectory, path: string, query: Record<string, string> = {}) => {
    const res = await scim(d, 'get', path).query(query);
    assert.equal(res.status, 200, res.text);
    return {
      ids: (res.body.Resources ?? []).map((r: { id: string }) => r.id) as string[],
      total: res.body.totalResults,
    };
  };
  const remove = async (d: TestDirectory, path: string): Promise<void> => {
    const res = await scim(d, 'delete', path);
    assert.equal(res.status, 204, res.text);
  };

  before(async () => {
    t = await startTestApp({ env: { SOFT_DELETE_PURGE_INTERVAL_MS: '0' } });
    soft = await t.createDirectory('soft-dir', { deletionPolicy: 'soft' });
    hard = await t.createDirectory('hard-dir', { deletionPolicy: 'hard' });
  });
  after(async () => {
    await t.close();
  });

  it('a deleted user is 404 on every operation and hidden from every read, its row kept without memberships', async () => {
    const alice = await createUser(soft, 'alice', {
      externalId: 'ext-alice',
      emails: [{ value: 'alice@example.com', type: 'work' }],
    });
    const bob = await createUser(soft, 'bob');
    const team = await createGroup(soft, 'Team', [alice, bob]);
    await remove(soft, `/Users/${alice}`);

    assert.equal((await scim(soft, 'get', `/Users/${alice}`)).status, 404);
    assert.equal((await scim(soft, 'put', `/Users/${alice}`).send(userBody('alice'))).status, 404);
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'A' }] };
    assert.equal((await scim(soft, 'patch', `/Users/${alice}`).send(patch)).status, 404);
    assert.equal((await scim(soft, 'delete', `/Users/${alice}`)).status, 404);

    assert.deepEqual(await listIds(soft, '/Users'), { ids: [bob], total: 1 });
    assert.deepEqual(await listIds(soft, '/Users', { sortBy: 'userName', count: '0' }), { ids: [], total: 1 });
    for (const filter of ['userName eq "alice"', 'externalId eq "ext-alice"', 'emails.value eq "alice@example.com"'])
      assert.deepEqual(await listIds(soft, '/Users', { filter }), { ids: [], total: 0 }, filter);
    const page = await scim(soft, 'get', '/Users').query({ cursor: '', count: '1' });
    assert.deepEqual(
      page.body.Resources.map((r: { id: string }) => r.id),
      [bob],
    );
    const root = await scim(soft, 'post', '/.search').send({ schemas: [SEARCH], filter: 'userName eq "alice"' });
    assert.equal(root.status, 200, root.text);
    assert.equal(root.body.totalResults, 0);

    const group = await scim(soft, 'get', `/Groups/${team}`);
    assert.deepEqual(
      group.body.members.map((m: { value: string }) => m.value),
      [bob],
    );
    // Adding the deleted user names an unknown member (UNKNOWN_MEMBERS=reject: 400).
    const add = { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: alice }] }] };
    assert.equal((await scim(soft, 'patch', `/Groups/${team}`).send(add)).status, 400);

    const kept = await row('users', alice);
    assert.equal(kept?.['directory_id'], soft.id);
    assert.match(String(kept?.['deleted_at']), /^\d{4}-\d\d-\d\dT/);
    assert.equal(await memberships(alice), 0);
    assert.equal(await multiValues(alice), 1, 'kept for a restore; the purge removes them');
  });

  it('the userName is free at once: the IdP provisions the same person again with a new id', async () => {
    const old = await createUser(soft, 'carol');
    await remove(soft, `/Users/${old}`);
    const again = await createUser(soft, 'carol');
    assert.notEqual(again, old);
    assert.deepEqual(await listIds(soft, '/Users', { filter: 'userName eq "carol"' }), { ids: [again], total: 1 });
    assert.ok((await row('users', old))?.['deleted_at']);

    // Restore: 409 while the new carol holds the userName, 200 once it is free again.
    const taken = await admin(soft, 'post', `/${old}/restore`);
    assert.equal(taken.status, 409, taken.text);
    assert.equal(taken.body.scimType, 'uniqueness');
    assert.ok((await row('users', old))?.['deleted_at'], 'still deleted');
    await remove(soft, `/Users/${again}`);
    const restored = await admin(soft, 'post', `/${old}/restore`);
    assert.equal(restored.status, 200, restored.text);
    assert.equal(restored.body.id, old);
    assert.equal(restored.body.userName, 'carol');
    assert.match(restored.body.meta.location, new RegExp(`${soft.base}/Users/${old}$`));
    assert.equal((await scim(soft, 'get', `/Users/${old}`)).status, 200);
    assert.equal((await row('users', old))?.['deleted_at'], null);
    assert.equal((await admin(soft, 'post', `/${old}/restore`)).status, 404, 'no longer deleted');
  });

  it('a deleted group leaves the members and groups of everyone, and memberships are not restored', async () => {
    const dave = await createUser(soft, 'dave');
    const staff = await createGroup(soft, 'Staff', [dave]);
    const all = await createGroup(soft, 'All', [staff]);
    const groupsOf = async () => (await scim(soft, 'get', `/Users/${dave}`)).body.groups as { value: string }[];
    assert.deepEqual((await groupsOf()).map((g) => g.value).sort(), [all, staff].sort());
    await remove(soft, `/Groups/${staff}`);

    assert.equal(await groupsOf(), undefined);
    assert.equal((await scim(soft, 'get', `/Groups/${staff}`)).status, 404);
    assert.equal((await scim(soft, 'get', `/Groups/${all}`)).body.members, undefined);
    assert.deepEqual(await listIds(soft, '/Groups', { filter: 'displayName eq "Staff"' }), { ids: [], total: 0 });
    assert.deepEqual(await listIds(soft, '/Users', { filter: `groups.value eq "${staff}"` }), { ids: [], total: 0 });
    assert.ok((await row('groups', staff))?.['deleted_at']);
    assert.equal(await memberships(staff), 0);

    const restored = await admin(soft, 'post', `/${staff}/restore`);
    assert.equal(restored.status, 200, restored.text);
    assert.equal(restored.body.displayName, 'Staff');
    assert.equal(restored.body.members, undefined);
    assert.equal(await groupsOf(), undefined);
  });

  it('a deleted group releases its unique displayName (groupDisplayNameUnique): a new group takes it, a restore is 409', async () => {
    const first = await createGroup(soft, 'Design');
    assert.equal(
      (await scim(soft, 'post', '/Groups').send({ schemas: [GROUP_SCHEMA], displayName: 'design' })).status,
      409,
    );
    await remove(soft, `/Groups/${first}`);
    const again = await createGroup(soft, 'DESIGN');
    assert.notEqual(again, first);
    const refused = await admin(soft, 'post', `/${first}/restore`);
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.body.scimType, 'uniqueness');
    assert.ok((await row('groups', first))?.['deleted_at'], 'the refused restore left the row deleted');
    await t.app.get(AuditFailures).flush();
    const [failure] = await rows('SELECT operation, status, scim_type FROM audit_log WHERE request_id = $1', [
      String(refused.headers['x-request-id']),
    ]);
    assert.deepEqual([failure?.['operation'], Number(failure?.['status'])], ['restore', 409]);
    assert.equal((await admin(soft, 'delete', `/${first}`)).status, 204);
    assert.equal(await row('groups', first), undefined);
  });

  it('the admin API lists deleted resources newest first, in pages, and purges one now', async () => {
    const erin = await createUser(soft, 'erin', { emails: [{ value: 'erin@example.com' }] });
    const frank = await createUser(soft, 'frank');
    await remove(soft, `/Users/${erin}`);
    await remove(soft, `/Users/${frank}`);
    await rows('UPDATE users SET deleted_at = $1 WHERE id = $2', [new Date(Date.now() - 1000).toISOString(), erin]);
    const first = await admin(soft, 'get').query({ resourceType: 'User', count: '1' });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.resources.length, 1);
    const seen = [first.body.resources[0]];
    for (let next = first.body.next as string | undefined; next;) {
      const page = await admin(soft, 'get').query({ resourceType: 'User', count: '1', after: next });
      assert.equal(page.status, 200, page.text);
      seen.push(...page.body.resources);
      next = page.body.next;
    }
    const names = seen.map((r: { name: string }) => r.name);
    assert.ok(names.indexOf('frank') < names.indexOf('erin'), names.join());
    assert.ok(seen.every((r: { resourceType: string; deletedAt: string }) => r.resourceType === 'User' && r.deletedAt));
    const both = await admin(soft, 'get');
    assert.ok(both.body.resources.some((r: { resourceType: string }) => r.resourceType === 'Group') === false);
    assert.equal((await admin(soft, 'get').query({ resourceType: 'Device' })).status, 400);
    for (const query of [
      { count: '0' },
      { count: '1001' },
      { count: 'x' },
      { after: 'garbage' },
      { after: `x${'a'.repeat(5000)}` },
    ]) {
      assert.equal((await admin(soft, 'get').query(query)).status, 400, JSON.stringify(query).slice(0, 60));
    }
    assert.equal((await admin(soft, 'get').query({ after: 'nope' })).status, 400);

    assert.equal((await admin(soft, 'delete', `/${erin}`)).status, 204);
    assert.equal(await row('users', erin), undefined);
    assert.equal(await multiValues(erin), 0);
    assert.equal((await admin(soft, 'delete', `/${erin}`)).status, 404);
    assert.equal((await admin(soft, 'delete', `/${frank}`).set('Authorization', `Bearer ${soft.token}`)).status, 403);
    // Only deleted rows: a live one is no deleted resource.
    const live = await createUser(soft, 'gina');
    assert.equal((await admin(soft, 'delete', `/${live}`)).status, 404);
    assert.ok(await row('users', live));
  });

  it('a soft delete releases unique extension values; a restore claims them again, or is 409', async () => {
    const registered = await t.req('post', schemasPath(soft.id)).send(acmeDefinition());
    assert.equal(registered.status, 201, registered.text);
    const badge = (n: number) => ({ [ACME]: { badge: n } });
    const old = await createUser(soft, 'lena', badge(7));
    await remove(soft, `/Users/${old}`);
    const taker = await createUser(soft, 'mona', badge(7));
    const taken = await admin(soft, 'post', `/${old}/restore`);
    assert.equal(taken.status, 409, taken.text);
    assert.equal(taken.body.scimType, 'uniqueness');
    assert.ok((await row('users', old))?.['deleted_at'], 'the refused restore changed nothing');
    await remove(soft, `/Users/${taker}`);
    assert.equal((await admin(soft, 'post', `/${old}/restore`)).status, 200);
    const again = await scim(soft, 'post', '/Users').send(userBody('nina', badge(7)));
    assert.equal(again.status, 409, again.text);
  });

  it('an admin token bound to another directory may not see or restore its deleted resources', async () => {
    const issued = await t
      .req('post', `/admin/directories/${hard.id}/tokens`)
      .send({ name: 'hard-admin', scopes: ['admin'] });
    assert.equal(issued.status, 201, issued.text);
    const other = String(issued.body.secret);
    assert.equal((await admin(soft, 'get').set('Authorization', `Bearer ${other}`)).status, 403);
    assert.equal((await admin(hard, 'get').set('Authorization', `Bearer ${other}`)).status, 200);
  });

  it('the retention purge deletes rows deleted longer ago than SOFT_DELETE_RETENTION_DAYS, and no other', async () => {
    const oldId = await createUser(soft, 'old-hank');
    const recent = await createUser(soft, 'recent-ivy');
    await remove(soft, `/Users/${oldId}`);
    await remove(soft, `/Users/${recent}`);
    await rows('UPDATE users SET deleted_at = $1 WHERE id = $2', [
      new Date(Date.now() - 31 * DAY).toISOString(),
      oldId,
    ]);
    const purged = await t.app.get(DeletedPurgeService).purgeExpired();
    assert.ok(purged >= 1, String(purged));
    assert.equal(await row('users', oldId), undefined);
    assert.ok((await row('users', recent))?.['deleted_at']);
    await t.app.get(DeletedPurgeService).purgeExpired(Date.now() + 31 * DAY);
    assert.equal(await row('users', recent), undefined);
  });

  it('hard policy: the row is gone; the setting is per directory', async () => {
    const jane = await createUser(hard, 'jane');
    await remove(hard, `/Users/${jane}`);
    assert.equal(await row('users', jane), undefined);
    assert.equal((await scim(hard, 'get', `/Users/${jane}`)).status, 404);
    assert.deepEqual((await admin(hard, 'get')).body.resources, []);
    const view = await t.req('get', `/admin/directories/${soft.id}`);
    assert.equal(view.body.effectiveSettings.deletionPolicy, 'soft');
    const other = await t.req('get', `/admin/directories/${hard.id}`);
    assert.equal(other.body.effectiveSettings.deletionPolicy, 'hard');
    assert.equal(
      (await t.req('patch', `/admin/directories/${hard.id}`).send({ settings: { deletionPolicy: 'archive' } })).status,
      400,
    );
  });

  it('purging a directory deletes its soft-deleted rows too', async () => {
    const gone = await t.createDirectory('gone-dir', { deletionPolicy: 'soft' });
    const kim = await createUser(gone, 'kim');
    await remove(gone, `/Users/${kim}`);
    // Only a soft-deleted row: the directory counts as empty.
    assert.equal((await t.req('delete', `/admin/directories/${gone.id}`)).status, 204);
    await t.whenPurged();
    assert.equal(await row('users', kim), undefined);
  });
});
