import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groupBody } from '../setup/group-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/** One identifier rule (fold-key.ts, after RFC 8264 PRECIS) at write and in filters. */
describe('Identifier hygiene: userName and group displayName', () => {
  let t: TestApp;
  let aliceId = '';
  before(async () => {
    t = await startTestApp();
    const res = await create(userBody('alice', { name: { givenName: 'Barbara' } }));
    assert.equal(res.status, 201, res.text);
    aliceId = res.body.id;
  });
  after(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>) =>
    t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(body);
  const filterUsers = (filter: string) => t.req('get', `${BASE}/Users`).query({ filter });

  for (const variant of ['ali\u200bce', 'alice\u200d', '\ufeffalice', 'alice ', ' alice', 'ALICE\u00a0']) {
    it(`${JSON.stringify(variant)} is the same userName as "alice": 409 uniqueness`, async () => {
      expectScimError(await create(userBody(variant)), 409, 'uniqueness');
    });
  }

  for (const [label, variant] of [
    ['TAB', 'alice\t'],
    ['CR LF', 'bob\r\nX-Injected: 1'],
    ['NUL', 'bo\u0000b'],
    ['DEL', 'bob\u007f'],
  ]) {
    it(`a userName with a control character (${label}) is 400 invalidValue naming userName`, async () => {
      const res = await create(userBody(variant));
      expectScimError(res, 400, 'invalidValue');
      assert.match(res.body.detail, /userName/);
    });
  }

  for (const variant of ['\u200b', ' ', '\ufeff\u200d \u3000']) {
    it(`a userName of only ${JSON.stringify(variant)} is 400 invalidValue`, async () => {
      const res = await create(userBody(variant));
      expectScimError(res, 400, 'invalidValue');
      assert.match(res.body.detail, /userName/);
    });
  }

  it('the value is stored as sent; only the key is prepared', async () => {
    const res = await create(userBody(' Carol\u200b '));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.userName, ' Carol\u200b ');
    const rows = await t.db.query(`SELECT user_name, user_name_key FROM users WHERE id = '${res.body.id}'`);
    assert.deepEqual(
      rows.map((r: Record<string, unknown>) => ({ ...r })),
      [{ user_name: ' Carol\u200b ', user_name_key: 'carol' }],
    );
  });

  it('PATCH and PUT apply the same rule: a variant of a taken userName is 409, a control character 400', async () => {
    const bob = await create(userBody('bob'));
    assert.equal(bob.status, 201, bob.text);
    const patch = (value: string) =>
      t
        .req('patch', `${BASE}/Users/${bob.body.id}`)
        .set('Content-Type', SCIM_JSON)
        .send({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'userName', value }],
        });
    expectScimError(await patch('alice '), 409, 'uniqueness');
    expectScimError(await patch('bob\nX'), 400, 'invalidValue');
    const put = await t
      .req('put', `${BASE}/Users/${bob.body.id}`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('\u200balice'));
    expectScimError(put, 409, 'uniqueness');
    const [row] = await t.db.query(`SELECT user_name, version FROM users WHERE id = '${bob.body.id}'`);
    assert.equal(row.user_name, 'bob');
    assert.equal(Number(row.version), 1);
  });

  for (const filter of ['userName eq "alice "', 'userName eq " ALI\\u200bCE"', 'userName eq "\\ufeffalice"']) {
    it(`filter ${filter} finds alice`, async () => {
      const res = await filterUsers(filter);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.Resources.map((r: { id: string }) => r.id),
        [aliceId],
      );
    });
  }

  it('attributes kept in the JSON document fold the same way in SQL (scim_fold)', async () => {
    const res = await filterUsers('name.givenName eq "barbara\\u200b "');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.Resources.map((r: { id: string }) => r.id),
      [aliceId],
    );
  });

  it('multi-valued keys use the same rule: emails.value finds an address sent with outer space', async () => {
    const res = await create(userBody('dave', { emails: [{ value: ' Dave@Example.com\u200b', type: 'work' }] }));
    assert.equal(res.status, 201, res.text);
    const found = await filterUsers('emails[type eq "work" and value eq "dave@example.com"]');
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(
      found.body.Resources.map((r: { id: string }) => r.id),
      [res.body.id],
    );
  });

  for (const filter of ['userName co "\\u0000"', 'userName eq "alice\\u0000"', 'displayName sw "\\u0000"']) {
    it(`a NUL in a filter value is 400 invalidFilter: ${filter}`, async () => {
      expectScimError(await filterUsers(filter), 400, 'invalidFilter');
    });
  }

  it('group displayName: control characters and empty keys are 400, the key ignores invisible and outer characters', async () => {
    const post = (displayName: string) =>
      t.req('post', `${BASE}/Groups`).set('Content-Type', SCIM_JSON).send(groupBody(displayName));
    for (const bad of ['Ops\r\nX-Injected: 1', 'Ops\t', '\u200b', ' ']) {
      const res = await post(bad);
      expectScimError(res, 400, 'invalidValue');
      assert.match(res.body.detail, /displayName/);
    }
    const created = await post('\u200bAdmins ');
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.displayName, '\u200bAdmins ');
    const found = await t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq "admins"' });
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(
      found.body.Resources.map((r: { id: string }) => r.id),
      [created.body.id],
    );
    assert.equal(Number((await t.db.query("SELECT COUNT(*) AS n FROM groups WHERE display_name_key = 'ops'"))[0].n), 0);
  });

  it('a resource stored before the rule, with a control character, can still be changed otherwise', async () => {
    const now = new Date().toISOString();
    const legacy = '00000000-0000-4000-8000-0000000000aa';
    const legacyGroup = '00000000-0000-4000-8000-0000000000bb';
    await t.db.query(
      `INSERT INTO users (id, user_name, user_name_key, created, last_modified, version, doc) VALUES ('${legacy}', 'old\tname', 'old\tname', '${now}', '${now}', 1, '{"userName":"old\\tname"}')`,
    );
    await t.db.query(
      `INSERT INTO groups (id, display_name, display_name_key, created, last_modified, version, doc) VALUES ('${legacyGroup}', 'Old\tGroup', 'old\tgroup', '${now}', '${now}', 1, '{"displayName":"Old\\tGroup"}')`,
    );
    const ops = (path: string, value: unknown) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path, value }],
    });
    const deactivated = await t
      .req('patch', `${BASE}/Users/${legacy}`)
      .set('Content-Type', SCIM_JSON)
      .send(ops('active', false));
    assert.equal(deactivated.status, 200, deactivated.text);
    assert.equal(deactivated.body.userName, 'old\tname');
    expectScimError(
      await t.req('patch', `${BASE}/Users/${legacy}`).set('Content-Type', SCIM_JSON).send(ops('userName', 'new\tname')),
      400,
      'invalidValue',
    );
    const relabelled = await t
      .req('patch', `${BASE}/Groups/${legacyGroup}`)
      .set('Content-Type', SCIM_JSON)
      .send(ops('externalId', 'x-1'));
    assert.equal(relabelled.status, 200, relabelled.text);
    const put = await t
      .req('put', `${BASE}/Groups/${legacyGroup}`)
      .set('Content-Type', SCIM_JSON)
      .send(groupBody('Old\tGroup', { externalId: 'x-2' }));
    assert.equal(put.status, 200, put.text);
    expectScimError(
      await t.req('put', `${BASE}/Groups/${legacyGroup}`).set('Content-Type', SCIM_JSON).send(groupBody('New\tGroup')),
      400,
      'invalidValue',
    );
  });
});
