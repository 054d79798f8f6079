import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, GROUP_SCHEMA, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const UNKNOWN_ID = '00000000-0000-0000-0000-0000000000aa';

type Member = { value: string; type?: string; display?: string; $ref?: string };
type MemberRow = { member_id: string; member_type: string };

function groupBody(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [GROUP_SCHEMA], displayName, ...extra };
}

const byValue = (a: { value: string }, b: { value: string }): number => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
const sortedIds = (ids: string[]): string[] => [...ids].sort();

describe('Groups', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const createUser = async (userName: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const postGroup = (body: Record<string, unknown>) => t.req('post', `${BASE}/Groups`).set('Content-Type', SCIM_JSON).send(body);
  const createGroup = async (displayName: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await postGroup(groupBody(displayName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const putGroup = (id: string, body: Record<string, unknown>) =>
    t.req('put', `${BASE}/Groups/${id}`).set('Content-Type', SCIM_JSON).send(body);
  const memberRows = async (groupId: string): Promise<MemberRow[]> =>
    t.db.query(`SELECT member_id, member_type FROM group_members WHERE group_id = '${groupId}' ORDER BY member_id`);
  const count = async (sql: string): Promise<number> => {
    const [{ n }] = await t.db.query(sql);
    return Number(n);
  };
  const userRef = (id: string) => `${t.url}${BASE}/Users/${id}`;
  const groupRef = (id: string) => `${t.url}${BASE}/Groups/${id}`;

  it('POST creates a group: 201, Location, ETag, meta, members with server-filled display, $ref and type', async () => {
    const alice = await createUser('alice.g@example.com', { displayName: 'Alice Display' });
    const bob = await createUser('bob.g@example.com');
    const child = await createGroup('Child Group');
    const res = await postGroup(groupBody('Parent Group', {
      externalId: 'g-ext-1',
      members: [
        { value: alice, display: 'Client Lie' },
        { value: bob, type: 'User', display: 'Another Lie' },
        { value: child, type: 'Group', display: 'Not The Name' },
      ],
    }));
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

    assert.deepEqual(await memberRows(id), [
      { member_id: alice, member_type: 'User' },
      { member_id: bob, member_type: 'User' },
      { member_id: child, member_type: 'Group' },
    ].sort((a, b) => (a.member_id < b.member_id ? -1 : 1)));
    const rows = await t.db.query(`SELECT display_name, display_name_key, external_id, version, doc FROM groups WHERE id = '${id}'`);
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
    expectScimError(await postGroup({ schemas: [GROUP_SCHEMA], externalId: 'no-name', members: [] }), 400, 'invalidValue');
    assert.equal(await count('SELECT COUNT(*) AS n FROM groups'), before);
  });

  it('an unknown member id fails the whole request with 400 invalidValue and writes nothing', async () => {
    const known = await createUser('known.member@example.com');
    const groupsBefore = await count('SELECT COUNT(*) AS n FROM groups');
    const membersBefore = await count('SELECT COUNT(*) AS n FROM group_members');
    const res = await postGroup(groupBody('Has Unknown Member', {
      members: [{ value: known }, { value: UNKNOWN_ID }, { value: 'not-even-a-uuid' }],
    }));
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
    expectScimError(await postGroup(groupBody('Wrong Type 1', { members: [{ value: user, type: 'Group' }] })), 400, 'invalidValue');
    expectScimError(await postGroup(groupBody('Wrong Type 2', { members: [{ value: group, type: 'User' }] })), 400, 'invalidValue');
    assert.equal(await count('SELECT COUNT(*) AS n FROM groups'), groupsBefore);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id IN ('${user}', '${group}')`), 0);
    // The same members with the right type are accepted.
    const ok = await postGroup(groupBody('Right Type', { members: [{ value: user, type: 'User' }, { value: group, type: 'Group' }] }));
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(await memberRows(ok.body.id), [
      { member_id: user, member_type: 'User' },
      { member_id: group, member_type: 'Group' },
    ].sort((a, b) => (a.member_id < b.member_id ? -1 : 1)));
  });

  it('a group cannot contain itself, and cycles (A→B→A, A→C→B→A) are refused with 400', async () => {
    const a = await createGroup('Cycle A');
    expectScimError(await putGroup(a, groupBody('Cycle A', { members: [{ value: a }] })), 400, 'invalidValue');
    assert.deepEqual(await memberRows(a), []);
    const b = await createGroup('Cycle B', { members: [{ value: a, type: 'Group' }] });
    expectScimError(await putGroup(a, groupBody('Cycle A', { members: [{ value: b }] })), 400, 'invalidValue');
    const c = await createGroup('Cycle C', { members: [{ value: b }] });
    expectScimError(await putGroup(a, groupBody('Cycle A', { members: [{ value: c, type: 'Group' }] })), 400, 'invalidValue');
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
      assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id = '${u}'`), 0,
        `iteration ${i}: a membership row of the deleted user ${u} remains (POST /Groups was ${rg.status})`);
      if (rg.status === 201) {
        const got = await t.req('get', `${BASE}/Groups/${rg.body.id}`);
        assert.equal(got.body.members, undefined);
      }
    }
  });

  it('GET with excludedAttributes=members returns no members and reads no group_members row', async () => {
    const u1 = await createUser('excl.one@example.com');
    const u2 = await createUser('excl.two@example.com');
    const id = await createGroup('Excluded Members', { members: [{ value: u1 }, { value: u2 }] });

    const excluded = await t.captureReads(() => t.req('get', `${BASE}/Groups/${id}`).query({ excludedAttributes: 'members' }));
    assert.equal(excluded.result.status, 200);
    assert.equal(excluded.result.body.members, undefined);
    assert.equal(excluded.result.body.displayName, 'Excluded Members');
    assert.equal(excluded.result.body.id, id);
    assert.ok(excluded.statements.length > 0, 'the group itself is read through the reader');
    assert.deepEqual(excluded.statements.filter((s) => /group_members/i.test(s)), []);

    const attrs = await t.captureReads(() => t.req('get', `${BASE}/Groups/${id}`).query({ attributes: 'displayName' }));
    assert.deepEqual(Object.keys(attrs.result.body).sort(), ['displayName', 'id', 'schemas']);
    assert.deepEqual(attrs.statements.filter((s) => /group_members/i.test(s)), []);

    const full = await t.captureReads(() => t.req('get', `${BASE}/Groups/${id}`));
    assert.equal(full.result.status, 200);
    assert.deepEqual(full.result.body.members.map((m: Member) => m.value).sort(), sortedIds([u1, u2]));
    assert.ok(full.statements.some((s) => /group_members/i.test(s)), 'members are read from group_members');

    const onlyMembers = await t.req('get', `${BASE}/Groups/${id}`).query({ attributes: 'members.value' });
    assert.deepEqual(onlyMembers.body.members.sort(byValue), sortedIds([u1, u2]).map((value) => ({ value })));
  });

  it("a user's groups: direct membership is 'direct', through a nested group 'indirect'", async () => {
    const u = await createUser('nested.user@example.com');
    const v = await createUser('both.user@example.com');
    const inner = await createGroup('Inner Team', { members: [{ value: u }, { value: v }] });
    const outer = await createGroup('Outer Org', { members: [{ value: inner, type: 'Group' }, { value: v }] });
    const res = await t.req('get', `${BASE}/Users/${u}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.groups, [
      { value: inner, $ref: groupRef(inner), display: 'Inner Team', type: 'direct' },
      { value: outer, $ref: groupRef(outer), display: 'Outer Org', type: 'indirect' },
    ]);
    // Direct membership wins over an indirect path to the same group.
    const both = await t.req('get', `${BASE}/Users/${v}`);
    assert.deepEqual(both.body.groups, [
      { value: inner, $ref: groupRef(inner), display: 'Inner Team', type: 'direct' },
      { value: outer, $ref: groupRef(outer), display: 'Outer Org', type: 'direct' },
    ]);
    // The list shows the same groups as the single read.
    const list = await t.req('get', `${BASE}/Users`).query({ filter: `id eq "${u}"` });
    assert.deepEqual(list.body.Resources[0].groups, res.body.groups);
    // groups is readOnly on Users: a client-sent value changes nothing.
    const put = await t.req('put', `${BASE}/Users/${u}`).send(userBody('nested.user@example.com', { groups: [{ value: outer }] }));
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.groups, res.body.groups);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id = '${u}'`), 1);
  });

  it('PUT replaces displayName, externalId and the member set; identical PUT keeps the version; unknown id is 404', async () => {
    const u1 = await createUser('put.one@example.com');
    const u2 = await createUser('put.two@example.com');
    const u3 = await createUser('put.three@example.com', { displayName: 'Put Three' });
    const created = await postGroup(groupBody('Before Name', { externalId: 'old-ext', members: [{ value: u1 }, { value: u2 }] }));
    assert.equal(created.status, 201);
    const id = created.body.id;
    const other = await createGroup('Untouched Other', { members: [{ value: u1 }, { value: u2 }] });

    const res = await putGroup(id, groupBody('After Name', { id, externalId: 'new-ext', members: [{ value: u3 }, { value: u2 }] }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal(res.body.meta.version, 'W/"2"');
    assert.equal(res.body.meta.created, created.body.meta.created);
    assert.ok(res.body.meta.lastModified >= created.body.meta.lastModified);
    assert.equal(res.body.displayName, 'After Name');
    assert.equal(res.body.externalId, 'new-ext');
    assert.deepEqual(res.body.members.sort(byValue), [
      { value: u2, $ref: userRef(u2), type: 'User', display: 'put.two@example.com' },
      { value: u3, $ref: userRef(u3), type: 'User', display: 'Put Three' },
    ].sort(byValue));
    assert.deepEqual(await memberRows(id), sortedIds([u2, u3]).map((m) => ({ member_id: m, member_type: 'User' })));
    assert.deepEqual(await memberRows(other), sortedIds([u1, u2]).map((m) => ({ member_id: m, member_type: 'User' })));
    const [row] = await t.db.query(`SELECT display_name, display_name_key, external_id, version FROM groups WHERE id = '${id}'`);
    assert.deepEqual({ ...row, version: Number(row.version) }, {
      display_name: 'After Name', display_name_key: 'after name', external_id: 'new-ext', version: 2,
    });

    // Identical content (members in another order) changes nothing.
    const again = await putGroup(id, groupBody('After Name', { externalId: 'new-ext', members: [{ value: u2 }, { value: u3 }] }));
    assert.equal(again.status, 200);
    assert.equal(again.headers['etag'], 'W/"2"', 'an identical PUT keeps the version');
    assert.equal(again.body.meta.lastModified, res.body.meta.lastModified);

    // Only a member change moves the version too.
    const membersOnly = await putGroup(id, groupBody('After Name', { externalId: 'new-ext', members: [{ value: u3 }] }));
    assert.equal(membersOnly.headers['etag'], 'W/"3"');
    assert.deepEqual(await memberRows(id), [{ member_id: u3, member_type: 'User' }]);

    // Omitted externalId and members are cleared.
    const cleared = await putGroup(id, groupBody('After Name'));
    assert.equal(cleared.status, 200);
    assert.equal(cleared.headers['etag'], 'W/"4"');
    assert.equal(cleared.body.externalId, undefined);
    assert.equal(cleared.body.members, undefined);
    assert.deepEqual(await memberRows(id), []);
    const [clearedRow] = await t.db.query(`SELECT external_id FROM groups WHERE id = '${id}'`);
    assert.equal(clearedRow.external_id, null);
    assert.deepEqual(await memberRows(other), sortedIds([u1, u2]).map((m) => ({ member_id: m, member_type: 'User' })));

    expectScimError(await putGroup(id, groupBody('After Name', { id: UNKNOWN_ID })), 400, 'invalidValue');
    expectScimError(await putGroup(id, groupBody('')), 400, 'invalidValue');

    const groupsBefore = await count('SELECT COUNT(*) AS n FROM groups');
    const missing = await putGroup(UNKNOWN_ID, groupBody('Ghost Group', { members: [{ value: u1 }] }));
    expectScimError(missing, 404);
    assert.equal(await count('SELECT COUNT(*) AS n FROM groups'), groupsBefore, 'PUT never creates');
    assert.equal(await count(`SELECT COUNT(*) AS n FROM groups WHERE display_name = 'Ghost Group'`), 0);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${UNKNOWN_ID}'`), 0);
  });

  it('DELETE: 204 then 404; member users survive and lose the group; deleting a user removes its memberships', async () => {
    const u1 = await createUser('del.one@example.com');
    const u2 = await createUser('del.two@example.com');
    const doomed = await createGroup('Doomed Group', { members: [{ value: u1 }, { value: u2 }] });
    const parent = await createGroup('Doomed Parent', { members: [{ value: doomed }, { value: u2 }] });

    const del = await t.req('delete', `${BASE}/Groups/${doomed}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    expectScimError(await t.req('get', `${BASE}/Groups/${doomed}`), 404);
    expectScimError(await t.req('delete', `${BASE}/Groups/${doomed}`), 404);
    expectScimError(await putGroup(doomed, groupBody('Doomed Group')), 404);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM groups WHERE id = '${doomed}'`), 0);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${doomed}' OR member_id = '${doomed}'`), 0);
    const list = await t.req('get', `${BASE}/Groups`).query({ filter: `id eq "${doomed}"` });
    assert.equal(list.body.totalResults, 0);

    const one = await t.req('get', `${BASE}/Users/${u1}`);
    assert.equal(one.status, 200, 'member users are not deleted with the group');
    assert.equal(one.body.groups, undefined);
    const two = await t.req('get', `${BASE}/Users/${u2}`);
    assert.equal(two.status, 200);
    assert.deepEqual(two.body.groups, [{ value: parent, $ref: groupRef(parent), display: 'Doomed Parent', type: 'direct' }]);
    const parentNow = await t.req('get', `${BASE}/Groups/${parent}`);
    assert.deepEqual(parentNow.body.members, [{ value: u2, $ref: userRef(u2), type: 'User', display: 'del.two@example.com' }]);
    assert.equal(parentNow.headers['etag'], 'W/"2"', 'the group it left has a new version');

    // Deleting a user removes its memberships.
    const u3 = await createUser('del.three@example.com');
    const u4 = await createUser('del.four@example.com');
    const keep = await createGroup('Keeps Members', { members: [{ value: u3 }, { value: u4 }] });
    assert.equal((await t.req('delete', `${BASE}/Users/${u3}`)).status, 204);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id = '${u3}'`), 0);
    assert.deepEqual(await memberRows(keep), [{ member_id: u4, member_type: 'User' }]);
    const keepNow = await t.req('get', `${BASE}/Groups/${keep}`);
    assert.equal(keepNow.status, 200);
    assert.deepEqual(keepNow.body.members, [{ value: u4, $ref: userRef(u4), type: 'User', display: 'del.four@example.com' }]);
    assert.equal(keepNow.headers['etag'], 'W/"2"');
    const byMember = await t.req('get', `${BASE}/Groups`).query({ filter: `members.value eq "${u3}"` });
    assert.equal(byMember.body.totalResults, 0);
  });

  it('lists with displayName (case-insensitive), externalId (case-exact) and members.value filters', async () => {
    const member = await createUser('list.member@example.com');
    const alpha = await createGroup('List Alpha', { externalId: 'ListExt', members: [{ value: member }] });
    const beta = await createGroup('List Beta', { externalId: 'listext', members: [{ value: member }] });
    await createGroup('List Gamma', { externalId: 'other' });

    const all = await t.req('get', `${BASE}/Groups`).query({ count: 1000 });
    assert.equal(all.status, 200);
    assert.match(String(all.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(all.body.schemas, [LIST_RESPONSE]);
    assert.equal(all.body.totalResults, await count('SELECT COUNT(*) AS n FROM groups'));
    assert.equal(all.body.itemsPerPage, all.body.Resources.length);
    assert.equal(all.body.startIndex, 1);

    const byName = await t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq "LIST ALPHA"' });
    assert.equal(byName.status, 200);
    assert.equal(byName.body.totalResults, 1);
    assert.equal(byName.body.Resources[0].id, alpha);
    // The list shows the same representation as GET by id, members included.
    const single = await t.req('get', `${BASE}/Groups/${alpha}`);
    assert.deepEqual(byName.body.Resources[0], single.body);
    assert.deepEqual(byName.body.Resources[0].members, [
      { value: member, $ref: userRef(member), type: 'User', display: 'list.member@example.com' },
    ]);

    const byExt = await t.req('get', `${BASE}/Groups`).query({ filter: 'externalId eq "ListExt"' });
    assert.deepEqual(byExt.body.Resources.map((r: { id: string }) => r.id), [alpha]);
    const byMember = await t.req('get', `${BASE}/Groups`).query({ filter: `members.value eq "${member}"` });
    assert.equal(byMember.body.totalResults, 2);
    assert.deepEqual(byMember.body.Resources.map((r: { id: string }) => r.id).sort(), sortedIds([alpha, beta]));

    const none = await t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq "No Such Group"' });
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, { schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    const noMember = await t.req('get', `${BASE}/Groups`).query({ filter: `members.value eq "${UNKNOWN_ID}"` });
    assert.deepEqual(noMember.body, { schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const excluded = await t.captureReads(() =>
      t.req('get', `${BASE}/Groups`).query({ filter: 'displayName sw "List "', excludedAttributes: 'members' }));
    assert.equal(excluded.result.status, 200);
    assert.equal(excluded.result.body.totalResults, 3);
    for (const r of excluded.result.body.Resources) {
      assert.equal(r.members, undefined);
      assert.match(r.displayName, /^List /);
    }
    assert.deepEqual(excluded.statements.filter((s) => /group_members/i.test(s)), []);
    expectScimError(await t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq' }), 400, 'invalidFilter');
  });

  it('PATCH /Groups/:id renames; POST /Groups/:id, PUT and DELETE /Groups are 405', async () => {
    const id = await createGroup('Method Group');
    const patch = await t.req('patch', `${BASE}/Groups/${id}`).set('Content-Type', SCIM_JSON).send({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Patched' }],
    });
    assert.equal(patch.status, 200);
    assert.equal(patch.body.displayName, 'Patched');
    const post = await t.req('post', `${BASE}/Groups/${id}`).set('Content-Type', SCIM_JSON).send(groupBody('Method Group'));
    expectScimError(post, 405);
    assert.equal(post.headers['allow'], 'GET, PUT, PATCH, DELETE');
    const putAll = await t.req('put', `${BASE}/Groups`).set('Content-Type', SCIM_JSON).send(groupBody('x'));
    expectScimError(putAll, 405);
    assert.equal(putAll.headers['allow'], 'GET, POST');
    const delAll = await t.req('delete', `${BASE}/Groups`);
    expectScimError(delAll, 405);
    assert.equal(delAll.headers['allow'], 'GET, POST');
    const [row] = await t.db.query(`SELECT display_name, version FROM groups WHERE id = '${id}'`);
    assert.equal(row.display_name, 'Patched');
    assert.equal(Number(row.version), 2);
  });
});
