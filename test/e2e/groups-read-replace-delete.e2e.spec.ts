import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { byValue, groupBody, groupHelpers, sortedIds, UNKNOWN_ID, type Member } from '../setup/group-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/* Groups: projection of members, a user's groups, PUT, DELETE, list filters and the methods allowed. */

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

describe('Groups', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  const { createUser, postGroup, createGroup, putGroup, memberRows, count, userRef, groupRef } = groupHelpers(() => t);

  it('GET with excludedAttributes=members returns no members and reads no group_members row', async () => {
    const u1 = await createUser('excl.one@example.com');
    const u2 = await createUser('excl.two@example.com');
    const id = await createGroup('Excluded Members', { members: [{ value: u1 }, { value: u2 }] });

    const excluded = await t.captureReads(() =>
      t.req('get', `${BASE}/Groups/${id}`).query({ excludedAttributes: 'members' }),
    );
    assert.equal(excluded.result.status, 200);
    assert.equal(excluded.result.body.members, undefined);
    assert.equal(excluded.result.body.displayName, 'Excluded Members');
    assert.equal(excluded.result.body.id, id);
    assert.ok(excluded.statements.length > 0, 'the group itself is read through the reader');
    assert.deepEqual(
      excluded.statements.filter((s) => /group_members/i.test(s)),
      [],
    );

    const attrs = await t.captureReads(() => t.req('get', `${BASE}/Groups/${id}`).query({ attributes: 'displayName' }));
    assert.deepEqual(Object.keys(attrs.result.body).sort(), ['displayName', 'id', 'schemas']);
    assert.deepEqual(
      attrs.statements.filter((s) => /group_members/i.test(s)),
      [],
    );

    const full = await t.captureReads(() => t.req('get', `${BASE}/Groups/${id}`));
    assert.equal(full.result.status, 200);
    assert.deepEqual(full.result.body.members.map((m: Member) => m.value).sort(), sortedIds([u1, u2]));
    assert.ok(
      full.statements.some((s) => /group_members/i.test(s)),
      'members are read from group_members',
    );

    const onlyMembers = await t.req('get', `${BASE}/Groups/${id}`).query({ attributes: 'members.value' });
    assert.deepEqual(
      onlyMembers.body.members.sort(byValue),
      sortedIds([u1, u2]).map((value) => ({ value })),
    );
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
    const put = await t
      .req('put', `${BASE}/Users/${u}`)
      .send(userBody('nested.user@example.com', { groups: [{ value: outer }] }));
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.groups, res.body.groups);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM group_members WHERE member_id = '${u}'`), 1);
  });

  it('PUT replaces displayName, externalId and the member set; identical PUT keeps the version; unknown id is 404', async () => {
    const u1 = await createUser('put.one@example.com');
    const u2 = await createUser('put.two@example.com');
    const u3 = await createUser('put.three@example.com', { displayName: 'Put Three' });
    const created = await postGroup(
      groupBody('Before Name', { externalId: 'old-ext', members: [{ value: u1 }, { value: u2 }] }),
    );
    assert.equal(created.status, 201);
    const id = created.body.id;
    const other = await createGroup('Untouched Other', { members: [{ value: u1 }, { value: u2 }] });

    const res = await putGroup(
      id,
      groupBody('After Name', { id, externalId: 'new-ext', members: [{ value: u3 }, { value: u2 }] }),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal(res.body.meta.version, 'W/"2"');
    assert.equal(res.body.meta.created, created.body.meta.created);
    assert.ok(res.body.meta.lastModified >= created.body.meta.lastModified);
    assert.equal(res.body.displayName, 'After Name');
    assert.equal(res.body.externalId, 'new-ext');
    assert.deepEqual(
      res.body.members.sort(byValue),
      [
        { value: u2, $ref: userRef(u2), type: 'User', display: 'put.two@example.com' },
        { value: u3, $ref: userRef(u3), type: 'User', display: 'Put Three' },
      ].sort(byValue),
    );
    assert.deepEqual(
      await memberRows(id),
      sortedIds([u2, u3]).map((m) => ({ member_id: m, member_type: 'User' })),
    );
    assert.deepEqual(
      await memberRows(other),
      sortedIds([u1, u2]).map((m) => ({ member_id: m, member_type: 'User' })),
    );
    const [row] = await t.db.query(
      `SELECT display_name, display_name_key, external_id, version FROM groups WHERE id = '${id}'`,
    );
    assert.deepEqual(
      { ...row, version: Number(row.version) },
      {
        display_name: 'After Name',
        display_name_key: 'after name',
        external_id: 'new-ext',
        version: 2,
      },
    );

    // Identical content (members in another order) changes nothing.
    const again = await putGroup(
      id,
      groupBody('After Name', { externalId: 'new-ext', members: [{ value: u2 }, { value: u3 }] }),
    );
    assert.equal(again.status, 200);
    assert.equal(again.headers['etag'], 'W/"2"', 'an identical PUT keeps the version');
    assert.equal(again.body.meta.lastModified, res.body.meta.lastModified);

    // Only a member change moves the version too.
    const membersOnly = await putGroup(
      id,
      groupBody('After Name', { externalId: 'new-ext', members: [{ value: u3 }] }),
    );
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
    assert.deepEqual(
      await memberRows(other),
      sortedIds([u1, u2]).map((m) => ({ member_id: m, member_type: 'User' })),
    );

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
    assert.equal(
      await count(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${doomed}' OR member_id = '${doomed}'`),
      0,
    );
    const list = await t.req('get', `${BASE}/Groups`).query({ filter: `id eq "${doomed}"` });
    assert.equal(list.body.totalResults, 0);

    const one = await t.req('get', `${BASE}/Users/${u1}`);
    assert.equal(one.status, 200, 'member users are not deleted with the group');
    assert.equal(one.body.groups, undefined);
    const two = await t.req('get', `${BASE}/Users/${u2}`);
    assert.equal(two.status, 200);
    assert.deepEqual(two.body.groups, [
      { value: parent, $ref: groupRef(parent), display: 'Doomed Parent', type: 'direct' },
    ]);
    const parentNow = await t.req('get', `${BASE}/Groups/${parent}`);
    assert.deepEqual(parentNow.body.members, [
      { value: u2, $ref: userRef(u2), type: 'User', display: 'del.two@example.com' },
    ]);
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
    assert.deepEqual(keepNow.body.members, [
      { value: u4, $ref: userRef(u4), type: 'User', display: 'del.four@example.com' },
    ]);
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
    assert.deepEqual(
      byExt.body.Resources.map((r: { id: string }) => r.id),
      [alpha],
    );
    const byMember = await t.req('get', `${BASE}/Groups`).query({ filter: `members.value eq "${member}"` });
    assert.equal(byMember.body.totalResults, 2);
    assert.deepEqual(byMember.body.Resources.map((r: { id: string }) => r.id).sort(), sortedIds([alpha, beta]));

    const none = await t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq "No Such Group"' });
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, {
      schemas: [LIST_RESPONSE],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    const noMember = await t.req('get', `${BASE}/Groups`).query({ filter: `members.value eq "${UNKNOWN_ID}"` });
    assert.deepEqual(noMember.body, {
      schemas: [LIST_RESPONSE],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });

    const excluded = await t.captureReads(() =>
      t.req('get', `${BASE}/Groups`).query({ filter: 'displayName sw "List "', excludedAttributes: 'members' }),
    );
    assert.equal(excluded.result.status, 200);
    assert.equal(excluded.result.body.totalResults, 3);
    for (const r of excluded.result.body.Resources) {
      assert.equal(r.members, undefined);
      assert.match(r.displayName, /^List /);
    }
    assert.deepEqual(
      excluded.statements.filter((s) => /group_members/i.test(s)),
      [],
    );
    expectScimError(await t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq' }), 400, 'invalidFilter');
  });

  it('PATCH /Groups/:id renames; POST /Groups/:id, PUT and DELETE /Groups are 405', async () => {
    const id = await createGroup('Method Group');
    const patch = await t
      .req('patch', `${BASE}/Groups/${id}`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Patched' }],
      });
    assert.equal(patch.status, 200);
    assert.equal(patch.body.displayName, 'Patched');
    const post = await t
      .req('post', `${BASE}/Groups/${id}`)
      .set('Content-Type', SCIM_JSON)
      .send(groupBody('Method Group'));
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
