import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idpBody, patchHelpers, type Json } from '../setup/patch-helpers.js';
import { BASE, ENTERPRISE, startTestApp, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

/* PATCH /Users/{id}: add, replace and remove with and without paths, value paths, the enterprise extension, IdP quirks and recorded IdP bodies. */

describe('PATCH /Users/{id} (RFC 7644 §3.5.2)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  const h = patchHelpers(() => t);

  it('add with a path: simple, sub-attribute, multi-valued (appended), complex', async () => {
    const user = await h.createUser('add.path@example.com', { emails: [{ value: 'first@example.com', type: 'home' }] });
    const res = await h.patch('Users', user.id, [
      { op: 'add', path: 'displayName', value: 'Added Display' },
      { op: 'add', path: 'name.givenName', value: 'Given' },
      { op: 'add', path: 'emails', value: [{ value: 'second@example.com', type: 'work' }] },
      { op: 'add', path: 'addresses', value: [{ locality: 'Brussels', type: 'work' }] },
      { op: 'add', path: 'name', value: { familyName: 'Family' } },
    ]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.displayName, 'Added Display');
    assert.deepEqual(body.name, { givenName: 'Given', familyName: 'Family' });
    assert.deepEqual(body.emails, [
      { value: 'first@example.com', type: 'home' },
      { value: 'second@example.com', type: 'work' },
    ]);
    assert.deepEqual(body.addresses, [{ locality: 'Brussels', type: 'work' }]);
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.deepEqual(await h.multiValues(user.id), [
      { attr: 'emails', value: 'first@example.com', type: 'home', primary: false },
      { attr: 'emails', value: 'second@example.com', type: 'work', primary: false },
    ]);
    const [row] = await t.db.query(`SELECT display_name FROM users WHERE id = '${user.id}'`);
    assert.equal(row.display_name, 'Added Display');
  });

  it('add without a path: single-valued replaced, multi-valued appended, complex merged', async () => {
    const user = await h.createUser('add.nopath@example.com', {
      nickName: 'Old',
      name: { givenName: 'Keep' },
      emails: [{ value: 'one@example.com', type: 'work' }],
    });
    const res = await h.patch('Users', user.id, [
      {
        op: 'add',
        value: { nickName: 'New', name: { familyName: 'Added' }, emails: [{ value: 'two@example.com', type: 'home' }] },
      },
    ]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.nickName, 'New');
    assert.deepEqual(body.name, { givenName: 'Keep', familyName: 'Added' });
    assert.deepEqual(body.emails, [
      { value: 'one@example.com', type: 'work' },
      { value: 'two@example.com', type: 'home' },
    ]);
  });

  it('replace with a path: simple, sub-attribute, multi-valued replaced wholesale, complex keeps the rest', async () => {
    const user = await h.createUser('replace.path@example.com', {
      title: 'Old Title',
      name: { givenName: 'Old', familyName: 'Family' },
      emails: [
        { value: 'a@example.com', type: 'work' },
        { value: 'b@example.com', type: 'home' },
      ],
    });
    const res = await h.patch('Users', user.id, [
      { op: 'replace', path: 'title', value: 'New Title' },
      { op: 'replace', path: 'name.givenName', value: 'New' },
      { op: 'replace', path: 'emails', value: [{ value: 'c@example.com', type: 'other' }] },
      { op: 'replace', path: 'name', value: { middleName: 'M' } },
    ]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.title, 'New Title');
    assert.deepEqual(body.name, { givenName: 'New', familyName: 'Family', middleName: 'M' });
    assert.deepEqual(body.emails, [{ value: 'c@example.com', type: 'other' }]);
    assert.deepEqual(await h.multiValues(user.id), [
      { attr: 'emails', value: 'c@example.com', type: 'other', primary: false },
    ]);
  });

  it('replace without a path: each attribute replaced, sub-attributes not given stay', async () => {
    const user = await h.createUser('replace.nopath@example.com', {
      displayName: 'Before',
      name: { givenName: 'G', familyName: 'F' },
      phoneNumbers: [{ value: '1', type: 'work' }],
    });
    const res = await h.patch('Users', user.id, [
      {
        op: 'replace',
        value: { displayName: 'After', name: { familyName: 'F2' }, phoneNumbers: [{ value: '2', type: 'mobile' }] },
      },
    ]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.displayName, 'After');
    assert.deepEqual(body.name, { givenName: 'G', familyName: 'F2' });
    assert.deepEqual(body.phoneNumbers, [{ value: '2', type: 'mobile' }]);
  });

  it('remove with a path: simple, sub-attribute (parent dropped when empty), filtered values, whole multi-valued', async () => {
    const user = await h.createUser('remove.path@example.com', {
      title: 'T',
      name: { givenName: 'Only' },
      emails: [
        { value: 'w@example.com', type: 'work' },
        { value: 'h@example.com', type: 'home' },
      ],
      phoneNumbers: [{ value: '123', type: 'work' }],
    });
    const first = await h.patch('Users', user.id, [
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'name.givenName' },
      { op: 'remove', path: 'emails[type eq "home"]' },
    ]);
    const body = await h.expectUserPatched(first);
    assert.equal(body.title, undefined);
    assert.equal(body.name, undefined);
    assert.deepEqual(body.emails, [{ value: 'w@example.com', type: 'work' }]);
    assert.deepEqual(await h.multiValues(user.id), [
      { attr: 'emails', value: 'w@example.com', type: 'work', primary: false },
      { attr: 'phonenumbers', value: '123', type: 'work', primary: false },
    ]);
    const second = await h.patch('Users', user.id, [
      { op: 'remove', path: 'emails' },
      { op: 'remove', path: 'phoneNumbers' },
    ]);
    const cleared = await h.expectUserPatched(second);
    assert.equal(cleared.emails, undefined);
    assert.equal(cleared.phoneNumbers, undefined);
    assert.equal(second.headers['etag'], 'W/"3"');
    assert.deepEqual(await h.multiValues(user.id), []);
  });

  it('emails[type eq "work"].value replace changes only the work address', async () => {
    const user = await h.createUser('valuepath@example.com', {
      emails: [
        { value: 'home@example.com', type: 'home' },
        { value: 'old.work@example.com', type: 'work', primary: true },
      ],
    });
    const res = await h.patch('Users', user.id, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'New.Work@example.com' },
    ]);
    const body = await h.expectUserPatched(res);
    assert.deepEqual(body.emails, [
      { value: 'home@example.com', type: 'home' },
      { value: 'New.Work@example.com', type: 'work', primary: true },
    ]);
    const filtered = await t
      .req('get', `${BASE}/Users`)
      .query({ filter: 'emails[type eq "work"].value eq "new.work@example.com"' });
    assert.deepEqual(
      filtered.body.Resources.map((r: Json) => r.id),
      [user.id],
    );
    const stale = await t.req('get', `${BASE}/Users`).query({ filter: 'emails.value eq "old.work@example.com"' });
    assert.equal(stale.body.totalResults, 0);
  });

  it('enterprise department and manager: full URN paths, bare-string manager, "" clears it, schemas follow', async () => {
    const user = await h.createUser('enterprise@example.com');
    assert.deepEqual(user.schemas, [USER_SCHEMA]);
    const set = await h.patch('Users', user.id, [
      { op: 'add', path: `${ENTERPRISE}:department`, value: 'Engineering' },
      { op: 'replace', path: `${ENTERPRISE}:manager`, value: 'boss-id' },
    ]);
    const body = await h.expectUserPatched(set);
    assert.deepEqual(body[ENTERPRISE], { department: 'Engineering', manager: { value: 'boss-id' } });
    assert.deepEqual(body.schemas, [USER_SCHEMA, ENTERPRISE]);

    const cleared = await h.expectUserPatched(
      await h.patch('Users', user.id, [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' }]),
    );
    assert.deepEqual(cleared[ENTERPRISE], { department: 'Engineering' });

    const managerValue = await h.expectUserPatched(
      await h.patch('Users', user.id, [{ op: 'add', path: `${ENTERPRISE}:manager.value`, value: 'boss-2' }]),
    );
    assert.deepEqual(managerValue[ENTERPRISE], { department: 'Engineering', manager: { value: 'boss-2' } });

    const gone = await h.expectUserPatched(
      await h.patch('Users', user.id, [
        { op: 'remove', path: `${ENTERPRISE}:department` },
        { op: 'remove', path: `${ENTERPRISE}:manager` },
      ]),
    );
    assert.equal(gone[ENTERPRISE], undefined);
    assert.deepEqual(gone.schemas, [USER_SCHEMA]);
  });

  it('Entra deactivation {"op":"Replace","path":"active","value":"False"}: active false in GET and in the active column', async () => {
    const user = await h.createUser('entra.deactivate@example.com', { active: true });
    assert.equal((await h.userRow(user.id)).active, true);
    const res = await h.patch('Users', user.id, [{ op: 'Replace', path: 'active', value: 'False' }]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.active, false);
    assert.equal((await h.userRow(user.id)).active, false);
    assert.equal((await h.userRow(user.id)).doc['active'], false);
    const reactivated = await h.expectUserPatched(
      await h.patch('Users', user.id, [{ op: 'Replace', path: 'active', value: 'True' }]),
    );
    assert.equal(reactivated.active, true);
    assert.equal((await h.userRow(user.id)).active, true);
  });

  it('pathless replace with dotted and URN keys applies each key as its own path', async () => {
    const user = await h.createUser('dotted.keys@example.com', { name: { familyName: 'Stays' } });
    const res = await h.patch('Users', user.id, [
      {
        op: 'replace',
        value: {
          'name.givenName': 'John',
          [`${ENTERPRISE}:department`]: 'Sales',
          [`${ENTERPRISE}:manager`]: 'mgr-1',
          [ENTERPRISE]: { costCenter: 'CC-9' },
          'emails[type eq "work"].value': 'john@example.com',
          displayName: 'John D',
        },
      },
    ]);
    const body = await h.expectUserPatched(res);
    assert.deepEqual(body.name, { familyName: 'Stays', givenName: 'John' });
    assert.deepEqual(body[ENTERPRISE], { department: 'Sales', manager: { value: 'mgr-1' }, costCenter: 'CC-9' });
    assert.deepEqual(body.schemas, [USER_SCHEMA, ENTERPRISE]);
    assert.deepEqual(body.emails, [{ type: 'work', value: 'john@example.com' }]);
    assert.equal(body.displayName, 'John D');
    const { doc } = await h.userRow(user.id);
    assert.deepEqual(
      Object.keys(doc).filter((k) => k.includes('.') && !k.startsWith('urn:')),
      [],
      'no literal dotted keys are stored',
    );
  });

  it('capitalised and upper-case ops (Add, Replace, Remove, REPLACE) work like lower-case ones', async () => {
    const user = await h.createUser('caps.ops@example.com', { title: 'Remove Me' });
    const res = await h.patch('Users', user.id, [
      { op: 'Add', path: 'nickName', value: 'Nick' },
      { op: 'Replace', path: 'displayName', value: 'Display' },
      { op: 'Remove', path: 'title' },
      { op: 'REPLACE', path: 'userType', value: 'Employee' },
    ]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.nickName, 'Nick');
    assert.equal(body.displayName, 'Display');
    assert.equal(body.title, undefined);
    assert.equal(body.userType, 'Employee');
  });

  it('add (and lenient replace) to emails[type eq "work"].value when no work email exists creates it', async () => {
    const user = await h.createUser('create.element@example.com', {
      emails: [{ value: 'home@example.com', type: 'home' }],
    });
    const added = await h.expectUserPatched(
      await h.patch('Users', user.id, [{ op: 'add', path: 'emails[type eq "work"].value', value: 'work@example.com' }]),
    );
    assert.deepEqual(added.emails, [
      { value: 'home@example.com', type: 'home' },
      { type: 'work', value: 'work@example.com' },
    ]);
    const replaced = await h.expectUserPatched(
      await h.patch('Users', user.id, [
        { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+32 000' },
      ]),
    );
    assert.deepEqual(replaced.phoneNumbers, [{ type: 'mobile', value: '+32 000' }]);
    assert.deepEqual(await h.multiValues(user.id), [
      { attr: 'emails', value: 'home@example.com', type: 'home', primary: false },
      { attr: 'emails', value: 'work@example.com', type: 'work', primary: false },
      { attr: 'phonenumbers', value: '+32 000', type: 'mobile', primary: false },
    ]);
  });

  it('primary: true on one email turns the other primary off (never two primaries)', async () => {
    const user = await h.createUser('primary.flip@example.com', {
      emails: [
        { value: 'a@example.com', type: 'work', primary: true },
        { value: 'b@example.com', type: 'home' },
      ],
    });
    const flipped = await h.expectUserPatched(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]),
    );
    assert.deepEqual(flipped.emails, [
      { value: 'a@example.com', type: 'work', primary: false },
      { value: 'b@example.com', type: 'home', primary: true },
    ]);
    const appended = await h.expectUserPatched(
      await h.patch('Users', user.id, [
        { op: 'add', path: 'emails', value: [{ value: 'c@example.com', type: 'other', primary: true }] },
      ]),
    );
    assert.deepEqual(
      appended.emails.filter((e: Json) => e.primary === true).map((e: Json) => e.value),
      ['c@example.com'],
    );
    assert.deepEqual(await h.multiValues(user.id), [
      { attr: 'emails', value: 'a@example.com', type: 'work', primary: false },
      { attr: 'emails', value: 'b@example.com', type: 'home', primary: false },
      { attr: 'emails', value: 'c@example.com', type: 'other', primary: true },
    ]);
  });

  it("replays Entra's recorded user PATCH (capitalised Replace of valuePath, name, userName, active)", async () => {
    const user = await h.createUser('Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    });
    const res = await h.send('patch', `/Users/${user.id}`, idpBody('azuread-update_user'));
    const body = await h.expectUserPatched(res);
    assert.equal(body.userName, '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    assert.deepEqual(body.name, {
      formatted: 'givenName familyName',
      familyName: 'updatedFamilyName',
      givenName: 'givenName',
    });
    assert.equal(body.active, false);
    assert.deepEqual(body.emails, [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    assert.equal(body.externalId, '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef');
    assert.equal(res.headers['etag'], 'W/"2"');
    const byName = await t
      .req('get', `${BASE}/Users`)
      .query({ filter: 'userName eq "5B50642D-79FC-4410-9E90-4C077CDD1A59@testuser.com"' });
    assert.deepEqual(
      byName.body.Resources.map((r: Json) => r.id),
      [user.id],
    );
  });

  it('replays Okta\'s recorded user PATCH (pathless replace {"active": false})', async () => {
    const user = await h.createUser('test.user@okta.local', {
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      active: true,
    });
    const res = await h.send('patch', `/Users/${user.id}`, idpBody('okta-update_user_patch'));
    const body = await h.expectUserPatched(res);
    const { active: _a, meta: _m, ...rest } = body;
    const { active: _b, meta: _n, ...restBefore } = user;
    assert.equal(body.active, false);
    assert.deepEqual(rest, restBefore, 'only active changed');
    assert.equal((await h.userRow(user.id)).active, false);
  });
});
