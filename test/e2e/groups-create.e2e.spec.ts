import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { captureWrites } from '../setup/capture-writes.js';
import { byValue, groupBody, groupHelpers, UNKNOWN_ID, type Member } from '../setup/group-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, GROUP_SCHEMA, SCIM_JSON, startTestApp, type TestApp } from '../setup/test-app.js';

/* Groups: POST /Groups, its validation, cycle refusal and races with concurrent writes. */

describe('Groups', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  const { createUser, postGroup, createGroup, putGroup, memberRows, count, userRef, groupRef } = groupHelpers(() => t);

  it('POST creates a group: 201, Location, ETag, meta, members with server-filled display, $ref and type', async () => {
    const alice = await createUser('alice.g@example.com', { displayName: 'Alice Display' });
    const bob = await createUser('bob.g@example.com');
    const child = await createGroup('Child Group');
    const res = await postGroup(
      groupBody('Parent Group', {
        externalId: 'g-ext-1',
        members: [
          { value: alice, display: 'Client Lie' },
          { value: bob, type: 'User', display: 'Another Lie' },
          { value: child, type: 'Group', display: 'Not The Name' },
        ],
      }),
    );
    assert.equal(res.status, 201, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json; charset=utf-8/);
    const { id } = res.body;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['location'], groupRef(id));
    assert.equal(res.body.meta.location, res.headers['location']);
    assert.equal(res.headers['etag'], 'W/"1"');
    assert.equal(res.body.meta.version, 'W/"1"');
    assert.equal(res.body.meta.resourceType, 'Group');
    assert.equal(res.body.meta.created, res.body.meta.lastModified);
    assert.deepEqual(res.body.schemas, [GROUP_SCHEMA]);
    assert.equal(res.body.displayName, 'Parent Group');
    assert.equal(res.body.externalId, 'g-ext-1');
    const expected: Member[] = [
      { value: alice, $ref: userRef(alice), type: 'User', display: 'Alice Display' },
      { value: bob, $ref: userRef(bob), type: 'User', display: 'bob.g@example.com' },
      { value: child, $ref: groupRef(child), type: 'Group', display: 'Child Group' },
    ].sort(byValue);
    assert.deepEqual([...res.body.members].sort(byValue), expected);
    assert.doesNotMatch(res.text, /Client Lie|Another Lie|Not The Name/);

    const get = await t.req('get', `${BASE}/Groups/${id}`);
    assert.equal(get.status, 200);
    assert.equal(get.headers['etag'], 'W/"1"');
    assert.deepEqual({ ...get.body, members: [...get.body.members].sort(byValue) }, { ...res.body, members: expected });

    assert.deepEqual(
      await memberRows(id),
      [
        { member_id: alice, member_type: 'User' },
        { member_id: bob, member_type: 'User' },
        { member_id: child, member_type: 'Group' },
      ].sort((a, b) => (a.member_id < b.member_id ? -1 : 1)),
    );
    const rows = await t.db.query(
      `SELECT display_name, display_name_key, external_id, version, doc FROM groups WHERE id = '${id}'`,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0].display_name, 'Parent Group');
    assert.equal(rows[0].display_name_key, 'parent group');
    assert.equal(rows[0].external_id, 'g-ext-1');
    assert.equal(Number(rows[0].version), 1);
    assert.doesNotMatch(rows[0].doc, /members/, 'members live in group_members, not in doc');
  });

  it('displayName is required: 400 invalidValue and nothing written', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM groups');
    expectScimError(await postGroup({ schemas: [GROUP_SCHEMA] }), 400, 'invalidValue');
    expectScimError(await postGroup({ schemas: [GROUP_SCHEMA], displayName: null }), 400, 'invalidValue');
    expectScimError(await postGroup(groupBody('')), 400, 'invalidValue');
    expectScimError(
      await postGroup({ schemas: [GROUP_SCHEMA], externalId: 'no-name', members: [] }),
      400,
      'invalidValue',
    );
    assert.equal(await count('SELECT COUNT(*) AS n FROM groups'), before);
  });

  it('an unknown member id fails the whole request with 400 invalidValue and writes nothing', async () => {
    const known = await createUser('known.member@example.com');
    const groupsBefore = await count('SELECT COUNT(*) AS n FROM groups');
    const membersBefore = await count('SELECT COUNT(*) AS n FROM group_members');
    const res = await postGroup(
      groupBody('Has Unknown Member', {
        members: [{ value: known }, { value: UNKNOWN_ID }, { value: 'not-even-a-uuid' }],
      }),
    );
    expectScimError(res, 400, 'invalidValue');
    assert.match(res.body.detail, new RegExp(UNKNOWN_ID));
    assert.match(res.body.detail, /not-even-a-uuid/);
    assert.doesNotMatch(res.body.detail, new RegExp(known));
    assert.equal(await count(`SELECT COUNT(*) AS n FROM groups WHERE display_name = 'Has Unknown Member'`), 0);
    assert.equal(await count('SELECT COUNT(*) AS n FROM groups'), groupsBefore);
    assert.equal(await count('SELECT COUNT(*) AS n FROM group_members'), membersBefore);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id = '${known}'`), 0);
    const user = await t.req('get', `${BASE}/Users/${known}`);
    assert.equal(user.headers['etag'], 'W/"1"', 'the would-be member is untouched');
    assert.equal(user.body.groups, undefined);
  });

  it('a stated member type that does not match the member is 400 invalidValue', async () => {
    const user = await createUser('typed.member@example.com');
    const group = await createGroup('Typed Target');
    const groupsBefore = await count('SELECT COUNT(*) AS n FROM groups');
    expectScimError(
      await postGroup(groupBody('Wrong Type 1', { members: [{ value: user, type: 'Group' }] })),
      400,
      'invalidValue',
    );
    expectScimError(
      await postGroup(groupBody('Wrong Type 2', { members: [{ value: group, type: 'User' }] })),
      400,
      'invalidValue',
    );
    assert.equal(await count('SELECT COUNT(*) AS n FROM groups'), groupsBefore);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id IN ('${user}', '${group}')`), 0);
    // The same members with the right type are accepted.
    const ok = await postGroup(
      groupBody('Right Type', {
        members: [
          { value: user, type: 'User' },
          { value: group, type: 'Group' },
        ],
      }),
    );
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(
      await memberRows(ok.body.id),
      [
        { member_id: user, member_type: 'User' },
        { member_id: group, member_type: 'Group' },
      ].sort((a, b) => (a.member_id < b.member_id ? -1 : 1)),
    );
  });

  it('a group cannot contain itself, and cycles (A→B→A, A→C→B→A) are refused with 400', async () => {
    const a = await createGroup('Cycle A');
    expectScimError(await putGroup(a, groupBody('Cycle A', { members: [{ value: a }] })), 400, 'invalidValue');
    assert.deepEqual(await memberRows(a), []);
    const b = await createGroup('Cycle B', { members: [{ value: a, type: 'Group' }] });
    expectScimError(await putGroup(a, groupBody('Cycle A', { members: [{ value: b }] })), 400, 'invalidValue');
    const c = await createGroup('Cycle C', { members: [{ value: b }] });
    expectScimError(
      await putGroup(a, groupBody('Cycle A', { members: [{ value: c, type: 'Group' }] })),
      400,
      'invalidValue',
    );
    // Nothing was written by the refused PUTs: A is still empty and unversioned, the others as created.
    assert.deepEqual(await memberRows(a), []);
    assert.deepEqual(await memberRows(b), [{ member_id: a, member_type: 'Group' }]);
    assert.deepEqual(await memberRows(c), [{ member_id: b, member_type: 'Group' }]);
    const got = await t.req('get', `${BASE}/Groups/${a}`);
    assert.equal(got.headers['etag'], 'W/"1"');
    assert.equal(got.body.members, undefined);
    // A diamond is not a cycle: D contains B and C (C also contains B).
    const d = await postGroup(groupBody('Diamond D', { members: [{ value: b }, { value: c }] }));
    assert.equal(d.status, 201, d.text);
  });

  const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
  const addMembers = (id: string, ids: readonly string[]) =>
    t
      .req('patch', `${BASE}/Groups/${id}`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
      });
  /** The cycle check's walks: recursive statements over group_members that bump no users (usersBelowSql does). */
  const cycleWalks = (sqls: readonly { sql: string }[]) =>
    sqls.filter((s) => /WITH RECURSIVE/i.test(s.sql) && /group_members/.test(s.sql) && !/\busers\b/.test(s.sql));

  it('a cycle through an ancestor 40 levels up (deeper than MAX_NESTING) is refused, nothing written', async () => {
    const chain = [await createGroup('Chain 0')];
    for (let i = 1; i < 40; i++) chain.push(await createGroup(`Chain ${i}`, { members: [{ value: chain[i - 1] }] }));
    const [bottom, top] = [chain[0], chain[39]];
    const edges = await count('SELECT COUNT(*) AS n FROM group_members');
    const user = await createUser('chain.member@example.com');
    for (const res of [
      await addMembers(bottom, [user, top]),
      await putGroup(bottom, groupBody('Chain 0', { members: [{ value: top }] })),
    ]) {
      expectScimError(res, 400, 'invalidValue');
      assert.equal(res.body.detail, `Adding group ${top} would make a membership cycle`);
    }
    assert.deepEqual(await memberRows(bottom), []);
    assert.equal(await count('SELECT COUNT(*) AS n FROM group_members'), edges);
    assert.equal((await t.req('get', `${BASE}/Groups/${bottom}`)).headers['etag'], 'W/"1"');
  });

  it('adding N member groups runs one ancestor walk, a POST none (densely nested groups)', async () => {
    // Dense nest: group i contains groups 0..i-1; X goes into group 0, so every nest group is above X.
    const nest: string[] = [];
    for (let i = 0; i < 10; i++)
      nest.push(await createGroup(`Nest ${i}`, { members: nest.map((value) => ({ value })) }));
    const leaves: string[] = [];
    for (let i = 0; i < 20; i++) leaves.push(await createGroup(`Leaf ${i}`));
    const created = await captureWrites(t.db, () =>
      postGroup(groupBody('Nest X', { members: leaves.slice(0, 10).map((value) => ({ value })) })),
    );
    assert.equal(created.result.status, 201, created.result.text);
    assert.deepEqual(cycleWalks(created.statements), []);
    const x = created.result.body.id as string;
    assert.equal((await addMembers(nest[0], [x])).status, 200);

    const added = await captureWrites(t.db, () => addMembers(x, leaves.slice(10)));
    assert.equal(added.result.status, 200, added.result.text);
    assert.equal(cycleWalks(added.statements).length, 1);
    const refused = await captureWrites(t.db, () => addMembers(x, [...leaves.slice(0, 5), nest[5]]));
    expectScimError(refused.result, 400, 'invalidValue');
    assert.equal(refused.result.body.detail, `Adding group ${nest[5]} would make a membership cycle`);
    assert.equal(cycleWalks(refused.statements).length, 1);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${x}'`), 20);
  });

  it('concurrent PUTs cannot form a cycle (A gets B while B gets A)', async () => {
    for (let i = 0; i < 20; i++) {
      const a = await createGroup(`Race A ${i}`);
      const b = await createGroup(`Race B ${i}`);
      const [ra, rb] = await Promise.all([
        putGroup(a, groupBody(`Race A ${i}`, { members: [{ value: b }] })),
        putGroup(b, groupBody(`Race B ${i}`, { members: [{ value: a }] })),
      ]);
      for (const res of [ra, rb]) {
        if (res.status !== 200) expectScimError(res, 400, 'invalidValue');
      }
      const edges = await count(`SELECT COUNT(*) AS n FROM group_members
        WHERE (group_id = '${a}' AND member_id = '${b}') OR (group_id = '${b}' AND member_id = '${a}')`);
      assert.ok(edges <= 1, `iteration ${i}: both A→B and B→A were stored (statuses ${ra.status}, ${rb.status})`);
      assert.ok(!(ra.status === 200 && rb.status === 200), `iteration ${i}: both PUTs succeeded`);
    }
  });

  it('a user deleted while a group adding it is created leaves no membership behind', async () => {
    for (let i = 0; i < 20; i++) {
      const u = await createUser(`race.member.${i}@example.com`);
      const [rg, rd] = await Promise.all([
        postGroup(groupBody(`Race Members ${i}`, { members: [{ value: u }] })),
        t.req('delete', `${BASE}/Users/${u}`),
      ]);
      assert.equal(rd.status, 204);
      if (rg.status !== 201) expectScimError(rg, 400, 'invalidValue');
      assert.equal(
        await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id = '${u}'`),
        0,
        `iteration ${i}: a membership row of the deleted user ${u} remains (POST /Groups was ${rg.status})`,
      );
      if (rg.status === 201) {
        const got = await t.req('get', `${BASE}/Groups/${rg.body.id}`);
        assert.equal(got.body.members, undefined);
      }
    }
  });
});
