import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_DIRECTORY,
  SYSTEM_PRINCIPAL,
  type DirectoryRef,
  type ScimContext,
} from '../../src/common/http/scim-context.js';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { GroupsService } from '../../src/groups/groups.service.js';
import { ScimException } from '../../src/scim/errors/scim.exception.js';
import { RootSearchService } from '../../src/search/root-search.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { BASE, GROUP_SCHEMA, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/** A second directory, inserted with SQL (its HTTP routes are not under test here); a high id stays clear of identities. */
const OTHER: DirectoryRef = { id: 9002, slug: 'iso-other', settings: {} };

interface Seeded {
  readonly alice: string;
  readonly bob: string;
  readonly staff: string;
}

/** The same userName, externalId, emails and group displayName in every directory. */
const aliceBody = userBody('alice', {
  externalId: 'ext-1',
  displayName: 'Alice',
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
});

describe('Directory isolation: two directories holding the same names never see each other', () => {
  let t: TestApp;
  let users: UsersService;
  let groups: GroupsService;
  let root: RootSearchService;
  const seeded = new Map<number, Seeded>();

  const rows = (sql: string, params: SqlParam[] = []): Promise<Record<string, unknown>[]> =>
    t.db.query<Record<string, unknown>[]>(...toDriverQuery(t.dialect, sql, params));
  const ctx = (directory: DirectoryRef): ScimContext => ({
    baseUrl: `${t.url}${BASE}`,
    requestId: `iso-${directory.slug}`,
    principal: SYSTEM_PRINCIPAL,
    directory,
  });
  const A = (): ScimContext => ctx(DEFAULT_DIRECTORY);
  const B = (): ScimContext => ctx(OTHER);
  const of = (c: ScimContext): Seeded => seeded.get(c.directory.id) as Seeded;
  const userProjection = (c: ScimContext) => users.projection(undefined, undefined, c);
  const groupProjection = (c: ScimContext) => groups.projection(undefined, undefined, c);
  const ids = (list: { readonly Resources: readonly Record<string, unknown>[] }): string[] =>
    list.Resources.map((r) => String(r['id'])).sort();
  const scimError = (scimType: string | undefined, status: number) => (error: unknown) =>
    error instanceof ScimException && error.status === status && error.scimType === scimType;
  const countBy = async (table: string): Promise<Record<number, number>> => {
    const found = await rows(`SELECT directory_id, COUNT(*) AS n FROM ${table} GROUP BY directory_id`);
    return Object.fromEntries(found.map((r) => [Number(r['directory_id']), Number(r['n'])]));
  };
  const versionOf = async (table: 'users' | 'groups', id: string): Promise<number> =>
    Number((await rows(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0]?.['version']);

  async function seed(c: ScimContext): Promise<Seeded> {
    const alice = String((await users.create(aliceBody, userProjection(c), c)).resource['id']);
    const bob = String(
      (await users.create(userBody('bob', { externalId: 'ext-2' }), userProjection(c), c)).resource['id'],
    );
    const staff = String(
      (
        await groups.create(
          { schemas: [GROUP_SCHEMA], displayName: 'Staff', externalId: 'g-ext', members: [{ value: alice }] },
          groupProjection(c),
          c,
        )
      ).resource['id'],
    );
    return { alice, bob, staff };
  }

  before(async () => {
    t = await startTestApp();
    users = t.app.get(UsersService);
    groups = t.app.get(GroupsService);
    root = t.app.get(RootSearchService);
    const now = new Date().toISOString();
    await rows('DELETE FROM directories WHERE id = $1', [OTHER.id]);
    await rows(
      `INSERT INTO directories (id, slug, display_name, settings, disabled, created, last_modified, version)
       VALUES ($1, $2, 'Isolation test', '{}', $3, $4, $4, 1)`,
      [OTHER.id, OTHER.slug, false, now],
    );
    seeded.set(DEFAULT_DIRECTORY.id, await seed(A()));
    seeded.set(OTHER.id, await seed(B()));
  });
  after(async () => {
    await rows('DELETE FROM directories WHERE id = $1', [OTHER.id]);
    await t.close();
  });

  it('the same userName, externalId and group displayName exist once in each directory (no 409), rows tagged with it', async () => {
    assert.deepEqual(await countBy('users'), { 1: 2, [OTHER.id]: 2 });
    assert.deepEqual(await countBy('groups'), { 1: 1, [OTHER.id]: 1 });
    assert.deepEqual(await countBy('group_members'), { 1: 1, [OTHER.id]: 1 });
    assert.deepEqual(await countBy('multi_values'), { 1: 1, [OTHER.id]: 1 });
    for (const c of [A(), B()]) {
      const own = await rows('SELECT directory_id FROM users WHERE id = $1', [of(c).alice]);
      assert.deepEqual(own, [{ directory_id: c.directory.id }]);
      const members = await rows('SELECT directory_id, member_id FROM group_members WHERE group_id = $1', [
        of(c).staff,
      ]);
      assert.deepEqual(members, [{ directory_id: c.directory.id, member_id: of(c).alice }]);
    }
  });

  it('uniqueness still holds within a directory: a second alice in either is 409', async () => {
    for (const c of [A(), B()]) {
      await assert.rejects(users.create(userBody('ALICE'), userProjection(c), c), scimError('uniqueness', 409));
    }
    assert.deepEqual(await countBy('users'), { 1: 2, [OTHER.id]: 2 });
  });

  it('GET by id finds only its own directory: the other directory id is 404', async () => {
    for (const [mine, theirs] of [
      [A(), B()],
      [B(), A()],
    ] as const) {
      const own = await users.get(of(mine).alice, userProjection(mine), mine);
      assert.equal(own.resource['id'], of(mine).alice);
      assert.deepEqual(
        (own.resource['groups'] as { value: string }[]).map((g) => g.value),
        [of(mine).staff],
      );
      await assert.rejects(users.get(of(theirs).alice, userProjection(mine), mine), scimError(undefined, 404));
      await assert.rejects(groups.get(of(theirs).staff, groupProjection(mine), mine), scimError(undefined, 404));
      const group = await groups.get(of(mine).staff, groupProjection(mine), mine);
      assert.deepEqual(
        (group.resource['members'] as { value: string }[]).map((m) => m.value),
        [of(mine).alice],
      );
    }
  });

  it('list and every filter form return only the directory own rows', async () => {
    for (const [mine, theirs] of [
      [A(), B()],
      [B(), A()],
    ] as const) {
      const me = of(mine);
      const other = of(theirs);
      const list = await users.list({}, mine);
      assert.equal(list.totalResults, 2);
      assert.deepEqual(ids(list), [me.alice, me.bob].sort());
      for (const filter of [
        'userName eq "alice"',
        'emails.value eq "alice@example.com"',
        'emails[type eq "work"]',
        'emails[type eq "work" and value co "alice"]',
        'externalId eq "ext-1"',
        'displayName eq "Alice"',
        `groups.value eq "${me.staff}"`,
        'groups.display eq "Staff"',
        `id eq "${me.alice}"`,
      ]) {
        const found = await users.list({ filter }, mine);
        assert.deepEqual(ids(found), [me.alice], filter);
        assert.equal(found.totalResults, 1, filter);
      }
      for (const filter of [`groups.value eq "${other.staff}"`, `id eq "${other.alice}"`]) {
        assert.deepEqual(ids(await users.list({ filter }, mine)), [], filter);
      }
      const recent = await users.list({ filter: 'meta.lastModified gt "2000-01-01T00:00:00Z"' }, mine);
      assert.deepEqual(ids(recent), [me.alice, me.bob].sort());
      for (const filter of ['displayName eq "Staff"', 'externalId eq "g-ext"', `members.value eq "${me.alice}"`]) {
        assert.deepEqual(ids(await groups.list({ filter }, mine)), [me.staff], filter);
      }
      assert.deepEqual(ids(await groups.list({ filter: `members.value eq "${other.alice}"` }, mine)), []);
      assert.deepEqual(ids(await groups.list({}, mine)), [me.staff]);
    }
  });

  it('sorting (also by groups) orders only the directory own rows', async () => {
    for (const c of [A(), B()]) {
      const byName = await users.list({ sortBy: 'userName', sortOrder: 'descending' }, c);
      assert.deepEqual(
        byName.Resources.map((r) => r['id']),
        [of(c).bob, of(c).alice],
      );
      const byGroup = await users.list({ sortBy: 'groups.display' }, c);
      assert.deepEqual(
        byGroup.Resources.map((r) => r['id']),
        [of(c).alice, of(c).bob],
      );
    }
  });

  it('a cursor continues only in the directory that issued it (elsewhere 400 invalidCursor)', async () => {
    for (const [mine, theirs] of [
      [A(), B()],
      [B(), A()],
    ] as const) {
      const first = await users.list({ cursor: '', count: 1, sortBy: 'userName' }, mine);
      const next = String(first.nextCursor);
      assert.deepEqual(ids(first), [of(mine).alice]);
      const second = await users.list({ cursor: next, count: 1, sortBy: 'userName' }, mine);
      assert.deepEqual(ids(second), [of(mine).bob]);
      await assert.rejects(
        users.list({ cursor: next, count: 1, sortBy: 'userName' }, theirs),
        scimError('invalidCursor', 400),
      );
    }
  });

  it('root /.search covers every type of the directory only', async () => {
    for (const c of [A(), B()]) {
      const all = await root.search({}, c);
      assert.equal(all.totalResults, 3);
      assert.deepEqual(ids(all), [of(c).alice, of(c).bob, of(c).staff].sort());
      const external = await root.search({ filter: 'externalId eq "ext-1" or externalId eq "g-ext"' }, c);
      assert.deepEqual(ids(external), [of(c).alice, of(c).staff].sort());
    }
  });

  it('PUT and PATCH of the other directory id are 404 and change nothing there', async () => {
    const a = of(A());
    const before = await rows('SELECT id, version, doc FROM users WHERE directory_id = 1 ORDER BY id');
    const groupBefore = await versionOf('groups', a.staff);
    await assert.rejects(
      users.replace(a.alice, userBody('alice', { displayName: 'Taken' }), userProjection(B()), B()),
      scimError(undefined, 404),
    );
    await assert.rejects(
      users.patch(a.alice, [{ op: 'replace', path: 'displayName', value: 'Taken' }], userProjection(B()), B()),
      scimError(undefined, 404),
    );
    await assert.rejects(
      groups.patch(
        a.staff,
        [{ op: 'add', path: 'members', value: [{ value: of(B()).bob }] }],
        groupProjection(B()),
        B(),
      ),
      scimError(undefined, 404),
    );
    assert.deepEqual(await rows('SELECT id, version, doc FROM users WHERE directory_id = 1 ORDER BY id'), before);
    assert.equal(await versionOf('groups', a.staff), groupBefore);
  });

  it('a member id of the other directory is an unknown member: refused (UNKNOWN_MEMBERS=reject), no row written', async () => {
    const b = of(B());
    const a = of(A());
    const version = await versionOf('groups', b.staff);
    for (const value of [a.bob, a.staff]) {
      await assert.rejects(
        groups.patch(b.staff, [{ op: 'add', path: 'members', value: [{ value }] }], groupProjection(B()), B()),
        (error: unknown) => scimError('invalidValue', 400)(error) && /Unknown member ids/.test(String(error)),
      );
    }
    await assert.rejects(
      groups.create(
        { schemas: [GROUP_SCHEMA], displayName: 'Cross', members: [{ value: a.alice }] },
        groupProjection(B()),
        B(),
      ),
      scimError('invalidValue', 400),
    );
    assert.deepEqual(await rows('SELECT member_id FROM group_members WHERE group_id = $1', [b.staff]), [
      { member_id: b.alice },
    ]);
    assert.equal(await versionOf('groups', b.staff), version);
    assert.deepEqual(await countBy('groups'), { 1: 1, [OTHER.id]: 1 });
  });

  it('a write in one directory bumps only its own related versions', async () => {
    const a = of(A());
    const b = of(B());
    const aGroup = await versionOf('groups', a.staff);
    const bGroup = await versionOf('groups', b.staff);
    await users.patch(b.alice, [{ op: 'replace', path: 'displayName', value: 'Alice B' }], userProjection(B()), B());
    assert.equal(await versionOf('groups', b.staff), bGroup + 1);
    assert.equal(await versionOf('groups', a.staff), aGroup);
    const put = await users.replace(b.alice, aliceBody, userProjection(B()), B());
    assert.equal(put.resource['displayName'], 'Alice');
    assert.equal(await versionOf('groups', a.staff), aGroup);
  });

  it('DELETE of the other directory id is 404; its own delete leaves the other directory whole', async () => {
    const a = of(A());
    const b = of(B());
    await assert.rejects(users.delete(a.alice, B()), scimError(undefined, 404));
    await assert.rejects(groups.delete(a.staff, B()), scimError(undefined, 404));
    await users.delete(b.alice, B());
    await assert.rejects(users.get(b.alice, userProjection(B()), B()), scimError(undefined, 404));
    assert.deepEqual(await countBy('users'), { 1: 2, [OTHER.id]: 1 });
    assert.deepEqual(await countBy('group_members'), { 1: 1 });
    assert.deepEqual(await countBy('multi_values'), { 1: 1 });
    const alice = await users.get(a.alice, userProjection(A()), A());
    assert.deepEqual(
      (alice.resource['groups'] as { value: string }[]).map((g) => g.value),
      [a.staff],
    );
    await groups.delete(b.staff, B());
    assert.deepEqual(await countBy('groups'), { 1: 1 });
    assert.deepEqual(ids(await users.list({ filter: 'userName eq "alice"' }, A())), [a.alice]);
  });
});

describe('Directory isolation with UNKNOWN_MEMBERS=ignore: a member id of another directory is skipped', () => {
  let t: TestApp;
  const rows = (sql: string, params: SqlParam[] = []): Promise<Record<string, unknown>[]> =>
    t.db.query<Record<string, unknown>[]>(...toDriverQuery(t.dialect, sql, params));
  const ctx = (directory: DirectoryRef): ScimContext => ({
    baseUrl: `${t.url}${BASE}`,
    requestId: `iso-ignore-${directory.slug}`,
    principal: SYSTEM_PRINCIPAL,
    directory,
  });

  before(async () => {
    t = await startTestApp({ env: { UNKNOWN_MEMBERS: 'ignore' } });
    await rows('DELETE FROM directories WHERE id = $1', [OTHER.id]);
    await rows(
      `INSERT INTO directories (id, slug, display_name, settings, disabled, created, last_modified, version)
       VALUES ($1, $2, 'Isolation test', '{}', $3, $4, $4, 1)`,
      [OTHER.id, OTHER.slug, false, new Date().toISOString()],
    );
  });
  after(async () => {
    await rows('DELETE FROM directories WHERE id = $1', [OTHER.id]);
    await t.close();
  });

  it('neither a create nor a PATCH add takes it as a member, and the other row keeps its version', async () => {
    const users = t.app.get(UsersService);
    const groups = t.app.get(GroupsService);
    const a = ctx(DEFAULT_DIRECTORY);
    const b = ctx(OTHER);
    const alice = String(
      (await users.create(userBody('alice'), users.projection(undefined, undefined, a), a)).resource['id'],
    );
    const created = await groups.create(
      { schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: alice }] },
      groups.projection(undefined, undefined, b),
      b,
    );
    assert.equal(created.resource['members'], undefined);
    const id = String(created.resource['id']);
    const patched = await groups.patch(
      id,
      [{ op: 'add', path: 'members', value: [{ value: alice }] }],
      groups.projection(undefined, undefined, b),
      b,
    );
    assert.equal(patched.resource['members'], undefined);
    assert.deepEqual(await rows('SELECT member_id FROM group_members'), []);
    assert.deepEqual(await rows('SELECT version, directory_id FROM users WHERE id = $1', [alice]), [
      { version: 1, directory_id: 1 },
    ]);
  });
});
