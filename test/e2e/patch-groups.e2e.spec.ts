import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { idpBody, patchHelpers, PATCH_OP, sorted, UNKNOWN_ID, type Json } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, type TestApp } from '../setup/test-app.js';

/* PATCH /Groups/{id}: members as set-based SQL, renames, recorded IdP bodies and refusals. */

describe('PATCH /Groups/{id}: members as set-based SQL (RFC 7644 §3.5.2)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  const h = patchHelpers(() => t);
  let seq = 0;
  const users = async (n: number, prefix: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await h.createUser(`${prefix}.${seq++}@example.com`)).id);
    return ids;
  };
  const versions = async (ids: readonly string[]): Promise<number[]> => Promise.all(ids.map((id) => h.userVersion(id)));
  const membersOf = (body: Json): string[] => sorted((body.members ?? []).map((m: Json) => m.value));

  /** A successful Group PATCH: 200, ETag = meta.version, GET agrees, and group_members holds exactly `expected`. */
  const expectGroupPatched = async (res: Response, expected: readonly string[]): Promise<Json> => {
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], res.body.meta.version);
    assert.deepEqual(membersOf(res.body), sorted(expected));
    const got = await t.req('get', `${BASE}/Groups/${res.body.id}`);
    assert.deepEqual({ ...got.body, members: membersOf(got.body) }, { ...res.body, members: membersOf(res.body) });
    assert.equal(got.headers['etag'], res.headers['etag']);
    assert.deepEqual(await h.memberRows(res.body.id), sorted(expected));
    const row = await h.groupRow(res.body.id);
    assert.equal(`W/"${row.version}"`, res.body.meta.version);
    assert.equal(row.lastModified, res.body.meta.lastModified);
    return res.body as Json;
  };

  it("add members (array): members, group version and each added user's version and ETag move", async () => {
    const [a, b, c] = await users(3, 'add');
    const group = await h.createGroup('Add Members', [a]);
    assert.deepEqual(await versions([a, b, c]), [2, 1, 1]);
    const res = await h.patch('Groups', group.id, [
      { op: 'add', path: 'members', value: [{ value: b }, { value: c, type: 'User' }] },
    ]);
    const body = await expectGroupPatched(res, [a, b, c]);
    assert.equal(res.headers['etag'], 'W/"2"');
    const memberC = body.members.find((m: Json) => m.value === c);
    assert.deepEqual(memberC, { value: c, $ref: `${t.url}${BASE}/Users/${c}`, type: 'User', display: memberC.display });
    assert.deepEqual(await versions([a, b, c]), [2, 2, 2], 'a was not touched; b and c were added');
    assert.equal(await h.userEtag(b), 'W/"2"');
    const bUser = await t.req('get', `${BASE}/Users/${b}`);
    assert.deepEqual(
      bUser.body.groups.map((g: Json) => g.value),
      [group.id],
    );
  });

  it('adding an existing member is a no-op: group and user versions and lastModified unchanged', async () => {
    const [a] = await users(1, 'noop');
    const group = await h.createGroup('No-op Add', [a]);
    const res = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: a }] }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], 'W/"1"');
    assert.equal(res.body.meta.lastModified, group.meta.lastModified);
    assert.equal((await h.groupRow(group.id)).version, 1);
    assert.deepEqual(await versions([a]), [2]);
    // The same for a remove of a non-member and a rename to the same name.
    const other = await h.patch('Groups', group.id, [
      { op: 'remove', path: `members[value eq "${UNKNOWN_ID}"]` },
      { op: 'replace', path: 'displayName', value: 'No-op Add' },
    ]);
    assert.equal(other.status, 200, other.text);
    assert.equal(other.headers['etag'], 'W/"1"');
    assert.deepEqual(await h.memberRows(group.id), [a]);
  });

  it('remove by members[value eq "x"] removes x only and bumps x', async () => {
    const [a, b, c] = await users(3, 'rm-filter');
    const group = await h.createGroup('Remove Filter', [a, b, c]);
    const res = await h.patch('Groups', group.id, [{ op: 'remove', path: `members[value eq "${b}"]` }]);
    await expectGroupPatched(res, [a, c]);
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.deepEqual(await versions([a, b, c]), [2, 3, 2]);
    assert.equal(await h.userEtag(b), 'W/"3"');
    assert.equal((await t.req('get', `${BASE}/Users/${b}`)).body.groups, undefined);
  });

  it('Entra {"op":"Remove","path":"members","value":[{"value":id}]} removes only that member', async () => {
    const [a, b, c] = await users(3, 'entra-rm');
    const group = await h.createGroup('Entra Remove', [a, b, c]);
    const res = await h.patch('Groups', group.id, [{ op: 'Remove', path: 'members', value: [{ value: a }] }]);
    await expectGroupPatched(res, [b, c]);
    assert.deepEqual(await versions([a, b, c]), [3, 2, 2]);
    const two = await h.patch('Groups', group.id, [
      { op: 'Remove', path: 'members', value: [{ value: b, $ref: null }, { value: c }] },
    ]);
    await expectGroupPatched(two, []);
  });

  it('{"op":"remove","path":"members"} removes every member and bumps each of them', async () => {
    const [a, b] = await users(2, 'rm-all');
    const group = await h.createGroup('Remove All', [a, b]);
    const res = await h.patch('Groups', group.id, [{ op: 'remove', path: 'members' }]);
    const body = await expectGroupPatched(res, []);
    assert.equal(body.members, undefined);
    assert.deepEqual(await versions([a, b]), [3, 3]);
  });

  it('Okta full replace of members: the set becomes exactly the list; only users whose membership changed are bumped', async () => {
    const [a, b, c] = await users(3, 'okta-replace');
    const group = await h.createGroup('Okta Replace', [a, b]);
    const res = await h.patch('Groups', group.id, [
      {
        op: 'replace',
        path: 'members',
        value: [
          { value: b, display: 'x' },
          { value: c, display: 'y' },
        ],
      },
    ]);
    await expectGroupPatched(res, [b, c]);
    assert.deepEqual(await versions([a, b, c]), [3, 2, 2], 'a removed, b kept (not bumped), c added');
    const empty = await h.patch('Groups', group.id, [{ op: 'replace', path: 'members', value: [] }]);
    await expectGroupPatched(empty, []);
  });

  it('Okta remove + add in one request, and the recorded Okta membership PATCH', async () => {
    const [a, b, c] = await users(3, 'okta-mix');
    const group = await h.createGroup('Okta Mix', [a, b]);
    const res = await h.patch('Groups', group.id, [
      { op: 'remove', path: `members[value eq "${a}"]` },
      { op: 'add', path: 'members', value: [{ value: c, display: 'c' }] },
    ]);
    await expectGroupPatched(res, [b, c]);
    assert.equal(res.headers['etag'], 'W/"2"', 'one request, one new version');
    assert.deepEqual(await versions([a, b, c]), [3, 2, 2]);

    // Recorded: remove A, add B, replace [B, A] on a group holding A.
    const [recA, recB] = await users(2, 'okta-recorded');
    const recorded = await h.createGroup('Okta Recorded Membership', [recA]);
    const body = idpBody('okta-update_group_membership', {
      '89bb1940-b905-4575-9e7f-6f887cfb368e': recA,
      '23a35c27-23d3-4c03-b4c5-6443c09e7173': recB,
    });
    const replayed = await h.send('patch', `/Groups/${recorded.id}`, body);
    await expectGroupPatched(replayed, [recA, recB]);
    assert.deepEqual(await versions([recA, recB]), [2, 2], 'A stays a member throughout (not bumped); B added');
  });

  it('members[value eq "a" or value eq "b"] removes both, nobody else', async () => {
    const [a, b, c] = await users(3, 'rm-or');
    const group = await h.createGroup('Remove Or', [a, b, c]);
    const res = await h.patch('Groups', group.id, [
      { op: 'remove', path: `members[value eq "${a}" or value eq "${c}"]` },
    ]);
    await expectGroupPatched(res, [b]);
    assert.deepEqual(await versions([a, b, c]), [3, 2, 3]);
  });

  it('members[type eq "Group"] removes the nested groups only', async () => {
    const [a, b] = await users(2, 'rm-type');
    const child1 = await h.createGroup('Nested One');
    const child2 = await h.createGroup('Nested Two');
    const group = await h.createGroup('Remove Type', [a, child1.id, b, child2.id]);
    const res = await h.patch('Groups', group.id, [{ op: 'remove', path: 'members[type eq "Group"]' }]);
    await expectGroupPatched(res, [a, b]);
    assert.deepEqual(await versions([a, b]), [2, 2], 'user members untouched');
    assert.equal((await h.groupRow(child1.id)).version, 1);
    const viaUserType = await h.patch('Groups', group.id, [
      { op: 'remove', path: 'members[type eq "user" and value eq "' + a + '"]' },
    ]);
    await expectGroupPatched(viaUserType, [b]);
  });

  it("rename via PATCH displayName: group version moves, and members' versions (their groups[].display changed); Okta's recorded rename works", async () => {
    const [a, b] = await users(2, 'rename');
    const group = await h.createGroup('Before Rename', [a, b]);
    const res = await h.patch('Groups', group.id, [{ op: 'replace', path: 'displayName', value: 'After Rename' }]);
    const body = await expectGroupPatched(res, [a, b]);
    assert.equal(body.displayName, 'After Rename');
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal((await h.groupRow(group.id)).displayName, 'After Rename');
    assert.deepEqual(await versions([a, b]), [3, 3]);
    const aUser = await t.req('get', `${BASE}/Users/${a}`);
    assert.deepEqual(
      aUser.body.groups.map((g: Json) => g.display),
      ['After Rename'],
    );

    const okta = await h.send(
      'patch',
      `/Groups/${group.id}`,
      idpBody('okta-update_group_name', { 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b': group.id }),
    );
    const renamed = await expectGroupPatched(okta, [a, b]);
    assert.equal(renamed.displayName, 'Test SCIMv2');
    assert.equal(renamed.id, group.id);
    assert.deepEqual(await versions([a, b]), [4, 4]);
    const byName = await t
      .req('get', `${BASE}/Groups`)
      .query({ filter: 'displayName eq "test scimv2"', excludedAttributes: 'members' });
    assert.deepEqual(
      byName.body.Resources.map((r: Json) => r.id),
      [group.id],
    );
  });

  it("replays Entra's recorded group PATCH: rename, Add then Remove of one member → renamed, member not kept", async () => {
    const [m] = await users(1, 'entra-group');
    const group = await h.createGroup('displayName', [], { externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    const res = await h.send(
      'patch',
      `/Groups/${group.id}`,
      idpBody('azuread-update_group', { f648f8d5ea4e4cd38e9c: m }),
    );
    const body = await expectGroupPatched(res, []);
    assert.equal(body.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    assert.equal(body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.deepEqual(await versions([m]), [1], 'added and removed in one request: its groups never changed');
  });

  it('an unknown member id is 400 invalidValue naming it, and nothing changes (not even an earlier op)', async () => {
    const [a, b] = await users(2, 'unknown');
    const group = await h.createGroup('Unknown Member', [a]);
    const res = await h.patch('Groups', group.id, [
      { op: 'replace', path: 'displayName', value: 'Must Not Stick' },
      { op: 'add', path: 'members', value: [{ value: b }, { value: UNKNOWN_ID }] },
    ]);
    expectScimError(res, 400, 'invalidValue');
    assert.match(res.body.detail, new RegExp(UNKNOWN_ID));
    assert.doesNotMatch(res.body.detail, new RegExp(b));
    const row = await h.groupRow(group.id);
    assert.equal(row.displayName, 'Unknown Member');
    assert.equal(row.version, 1);
    assert.deepEqual(await h.memberRows(group.id), [a]);
    assert.deepEqual(await versions([a, b]), [2, 1]);
    // The removal runs as SQL before the add's ids are resolved: the transaction must undo it.
    const removeThenFail = await h.patch('Groups', group.id, [
      { op: 'remove', path: `members[value eq "${a}"]` },
      { op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] },
    ]);
    expectScimError(removeThenFail, 400, 'invalidValue');
    assert.deepEqual(await h.memberRows(group.id), [a]);
    assert.deepEqual(await versions([a]), [2]);
    assert.equal((await h.groupRow(group.id)).version, 1);
    expectScimError(
      await h.patch('Groups', group.id, [{ op: 'replace', path: 'members', value: [{ value: 'not-a-uuid' }] }]),
      400,
      'invalidValue',
    );
    assert.deepEqual(await h.memberRows(group.id), [a]);
    expectScimError(
      await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: b, type: 'Group' }] }]),
      400,
      'invalidValue',
    );
    assert.deepEqual(await h.memberRows(group.id), [a]);
  });

  it('a membership cycle is refused with 400 and nothing changes', async () => {
    const top = await h.createGroup('Cycle Top');
    const middle = await h.createGroup('Cycle Middle', [top.id]);
    const bottom = await h.createGroup('Cycle Bottom', [middle.id]);
    for (const [target, member] of [
      [top, bottom],
      [top, middle],
      [top, top],
    ] as const) {
      const res = await h.patch('Groups', target.id, [
        { op: 'add', path: 'members', value: [{ value: member.id, type: 'Group' }] },
      ]);
      expectScimError(res, 400, 'invalidValue');
    }
    const replace = await h.patch('Groups', top.id, [
      { op: 'replace', path: 'members', value: [{ value: bottom.id }] },
    ]);
    expectScimError(replace, 400, 'invalidValue');
    assert.deepEqual(await h.memberRows(top.id), []);
    assert.equal((await h.groupRow(top.id)).version, 1);
    assert.deepEqual(await h.memberRows(middle.id), [top.id]);
  });

  it('members sub-attributes cannot be patched; unknown group is 404; envelope errors are invalidSyntax', async () => {
    const [a] = await users(1, 'group-errors');
    const group = await h.createGroup('Group Errors', [a]);
    expectScimError(
      await h.patch('Groups', group.id, [{ op: 'replace', path: `members[value eq "${a}"].display`, value: 'x' }]),
      400,
      'mutability',
    );
    expectScimError(await h.patch('Groups', group.id, [{ op: 'remove', path: 'displayName' }]), 400, 'mutability');
    expectScimError(
      await h.patch('Groups', group.id, [{ op: 'remove', path: 'members[value zz "x"]' }]),
      400,
      'invalidFilter',
    );
    expectScimError(await h.patch('Groups', group.id, [{ op: 'add', path: 'owners', value: [] }]), 400, 'invalidPath');
    expectScimError(await h.patch('Groups', UNKNOWN_ID, [{ op: 'add', path: 'members', value: [{ value: a }] }]), 404);
    expectScimError(
      await h.send('patch', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [] }),
      400,
      'invalidSyntax',
    );
    expectScimError(
      await h.send('patch', `/Groups/${group.id}`, [{ op: 'remove', path: 'members' }]),
      400,
      'invalidSyntax',
    );
    assert.deepEqual(await h.memberRows(group.id), [a]);
    assert.equal((await h.groupRow(group.id)).version, 1);
  });
});
