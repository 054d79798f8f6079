import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import type { Json } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, GROUP_SCHEMA, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** RFC 7644 §3.14 / RFC 7643 §3.1: weak ETags that mirror meta.version; If-None-Match and If-Match. */
describe('ETags and conditional requests (RFC 7644 §3.14)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
    t
      .req(method, `${BASE}${path}`)
      .set('Content-Type', SCIM_JSON)
      .send(body as object);
  const patchOps = (path: string, ops: Json[]) => send('patch', path, { schemas: [PATCH_OP], Operations: ops });
  const get = (path: string) => t.req('get', `${BASE}${path}`);
  const createUser = async (userName: string, extra: Json = {}): Promise<Json> => {
    const res = await send('post', '/Users', userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body as Json;
  };
  const createGroup = async (displayName: string, members: string[] = []): Promise<Json> => {
    const res = await send('post', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName,
      members: members.map((value) => ({ value })),
    });
    assert.equal(res.status, 201, res.text);
    return res.body as Json;
  };
  const version = async (table: 'users' | 'groups', id: string): Promise<number> => {
    const rows = await t.db.query(`SELECT version FROM ${table} WHERE id = '${id}'`);
    assert.equal(rows.length, 1);
    return Number(rows[0].version);
  };
  /** The ETag header is present, weak, and equal to meta.version in the body. */
  const etagOf = (res: Response, expected: string): void => {
    assert.equal(res.headers['etag'], expected, `${res.status} ${res.text}`);
    assert.equal(res.body.meta.version, expected);
    assert.match(expected, /^W\/"\d+"$/);
  };

  it('ETag equals meta.version on POST, GET, PUT and PATCH, for Users and Groups', async () => {
    const created = await send('post', '/Users', userBody('etag.mirror@example.com'));
    assert.equal(created.status, 201);
    etagOf(created, 'W/"1"');
    const id = created.body.id;
    etagOf(await get(`/Users/${id}`), 'W/"1"');
    etagOf(await send('put', `/Users/${id}`, userBody('etag.mirror@example.com', { displayName: 'Put' })), 'W/"2"');
    etagOf(await get(`/Users/${id}`), 'W/"2"');
    etagOf(await patchOps(`/Users/${id}`, [{ op: 'replace', path: 'displayName', value: 'Patched' }]), 'W/"3"');
    etagOf(await get(`/Users/${id}`), 'W/"3"');
    assert.equal(await version('users', id), 3);

    const group = await send('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'ETag Group' });
    assert.equal(group.status, 201);
    etagOf(group, 'W/"1"');
    const gid = group.body.id;
    etagOf(await get(`/Groups/${gid}`), 'W/"1"');
    etagOf(await send('put', `/Groups/${gid}`, { schemas: [GROUP_SCHEMA], displayName: 'ETag Group 2' }), 'W/"2"');
    etagOf(await patchOps(`/Groups/${gid}`, [{ op: 'replace', path: 'displayName', value: 'ETag Group 3' }]), 'W/"3"');
    etagOf(await get(`/Groups/${gid}`), 'W/"3"');
    assert.equal(await version('groups', gid), 3);
  });

  it('If-None-Match: current → 304 with an empty body and the ETag; stale → 200 with the resource', async () => {
    const user = await createUser('etag.inm@example.com');
    const path = `/Users/${user.id}`;
    for (const header of ['W/"1"', '"1"', '*', 'W/"7", W/"1"', ' W/"1" ']) {
      const res = await get(path).set('If-None-Match', header);
      assert.equal(res.status, 304, `If-None-Match ${header}`);
      assert.equal(res.text, '');
      assert.deepEqual(res.body, {});
      assert.equal(res.headers['etag'], 'W/"1"');
    }
    assert.equal((await patchOps(path, [{ op: 'add', path: 'nickName', value: 'n' }])).status, 200);
    for (const header of ['W/"1"', 'W/"3", W/"1"']) {
      const stale = await get(path).set('If-None-Match', header);
      assert.equal(stale.status, 200, `If-None-Match ${header}`);
      etagOf(stale, 'W/"2"');
      assert.equal(stale.body.nickName, 'n');
    }
    const group = await createGroup('INM Group');
    const res = await get(`/Groups/${group.id}`).set('If-None-Match', 'W/"1"');
    assert.equal(res.status, 304);
    assert.equal(res.text, '');
  });

  it('If-Match stale on PUT, PATCH and DELETE → 412 SCIM error, and nothing changes', async () => {
    const user = await createUser('etag.stale@example.com', { displayName: 'Kept' });
    const path = `/Users/${user.id}`;
    assert.equal((await patchOps(path, [{ op: 'replace', path: 'title', value: 'v2' }])).status, 200);
    const current = (await get(path)).body;
    for (const header of ['W/"1"', '"1"', 'W/"3"', 'W/"1", W/"3"', 'garbage']) {
      expectScimError(
        await send('put', path, userBody('etag.stale@example.com', { displayName: 'Lost' })).set('If-Match', header),
        412,
      );
      expectScimError(
        await patchOps(path, [{ op: 'replace', path: 'displayName', value: 'Lost' }]).set('If-Match', header),
        412,
      );
      expectScimError(await t.req('delete', `${BASE}${path}`).set('If-Match', header), 412);
    }
    assert.deepEqual((await get(path)).body, current);
    assert.equal(await version('users', user.id), 2);

    const member = await createUser('etag.stale.member@example.com');
    const group = await createGroup('Stale Group');
    const gpath = `/Groups/${group.id}`;
    expectScimError(
      await patchOps(gpath, [{ op: 'add', path: 'members', value: [{ value: member.id }] }]).set('If-Match', 'W/"0"'),
      412,
    );
    expectScimError(
      await send('put', gpath, { schemas: [GROUP_SCHEMA], displayName: 'Lost', members: [{ value: member.id }] }).set(
        'If-Match',
        'W/"2"',
      ),
      412,
    );
    expectScimError(await t.req('delete', `${BASE}${gpath}`).set('If-Match', 'W/"9"'), 412);
    const rows = await t.db.query(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${group.id}'`);
    assert.equal(Number(rows[0].n), 0);
    assert.equal(await version('groups', group.id), 1);
    assert.equal(await version('users', member.id), 1, 'the would-be member is untouched');
    assert.equal((await get(gpath)).body.displayName, 'Stale Group');
  });

  it('If-Match current, *, weak or strong form, or a list containing it → the write succeeds', async () => {
    const user = await createUser('etag.current@example.com');
    const path = `/Users/${user.id}`;
    const put = await send('put', path, userBody('etag.current@example.com', { displayName: 'One' })).set(
      'If-Match',
      'W/"1"',
    );
    assert.equal(put.status, 200, put.text);
    etagOf(put, 'W/"2"');
    const patchStrong = await patchOps(path, [{ op: 'replace', path: 'displayName', value: 'Two' }]).set(
      'If-Match',
      '"2"',
    );
    assert.equal(patchStrong.status, 200, patchStrong.text);
    etagOf(patchStrong, 'W/"3"');
    const patchStar = await patchOps(path, [{ op: 'replace', path: 'displayName', value: 'Three' }]).set(
      'If-Match',
      '*',
    );
    assert.equal(patchStar.status, 200, patchStar.text);
    etagOf(patchStar, 'W/"4"');
    const patchList = await patchOps(path, [{ op: 'replace', path: 'displayName', value: 'Four' }]).set(
      'If-Match',
      'W/"1", W/"4", W/"9"',
    );
    assert.equal(patchList.status, 200, patchList.text);
    etagOf(patchList, 'W/"5"');
    assert.equal(await version('users', user.id), 5);
    const del = await t.req('delete', `${BASE}${path}`).set('If-Match', 'W/"3", W/"5"');
    assert.equal(del.status, 204, del.text);
    expectScimError(await get(path), 404);
    // `*` needs a current representation: a deleted resource is 404, never a write.
    expectScimError(
      await patchOps(path, [{ op: 'replace', path: 'displayName', value: 'x' }]).set('If-Match', '*'),
      404,
    );

    const group = await createGroup('Current Group');
    const gdel = await t.req('delete', `${BASE}/Groups/${group.id}`).set('If-Match', '*');
    assert.equal(gdel.status, 204);
  });

  it("a membership change moves the group's ETag and the ETags of the users added or removed, not of the others", async () => {
    const a = await createUser('etag.member.a@example.com');
    const b = await createUser('etag.member.b@example.com');
    const c = await createUser('etag.member.c@example.com');
    const group = await createGroup('ETag Members', [a.id]);
    const aEtag = (await get(`/Users/${a.id}`)).headers['etag'];
    assert.equal(aEtag, 'W/"2"', 'joining at creation moved a');

    const added = await patchOps(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: b.id }] }]).set(
      'If-Match',
      'W/"1"',
    );
    assert.equal(added.status, 200, added.text);
    etagOf(added, 'W/"2"');
    const bGet = await get(`/Users/${b.id}`).set('If-None-Match', 'W/"1"');
    assert.equal(bGet.status, 200, "b's old ETag is stale: its groups changed");
    etagOf(bGet, 'W/"2"');
    assert.deepEqual(
      bGet.body.groups.map((g: Json) => g.value),
      [group.id],
    );
    assert.equal((await get(`/Users/${a.id}`).set('If-None-Match', aEtag)).status, 304, 'a did not change');
    assert.equal((await get(`/Users/${c.id}`).set('If-None-Match', 'W/"1"')).status, 304, 'c did not change');
    // A client holding b's old ETag cannot overwrite it.
    expectScimError(
      await patchOps(`/Users/${b.id}`, [{ op: 'replace', path: 'displayName', value: 'x' }]).set('If-Match', 'W/"1"'),
      412,
    );

    const removed = await patchOps(`/Groups/${group.id}`, [{ op: 'remove', path: `members[value eq "${a.id}"]` }]).set(
      'If-Match',
      'W/"2"',
    );
    assert.equal(removed.status, 200, removed.text);
    etagOf(removed, 'W/"3"');
    etagOf(await get(`/Users/${a.id}`), 'W/"3"');
    etagOf(await get(`/Users/${b.id}`), 'W/"2"');
    assert.equal(await version('users', a.id), 3);

    // Renaming the group moves its remaining member (its groups[].display changed), and so does deleting it.
    const renamed = await patchOps(`/Groups/${group.id}`, [{ op: 'replace', path: 'displayName', value: 'Renamed' }]);
    etagOf(renamed, 'W/"4"');
    etagOf(await get(`/Users/${b.id}`), 'W/"3"');
    assert.equal((await t.req('delete', `${BASE}/Groups/${group.id}`).set('If-Match', 'W/"4"')).status, 204);
    etagOf(await get(`/Users/${b.id}`), 'W/"4"');
  });
});
