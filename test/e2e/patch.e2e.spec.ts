import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Response } from 'supertest';
import type { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ENTERPRISE, GROUP_SCHEMA, SCIM_JSON, startTestApp, userBody, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UNKNOWN_ID = '00000000-0000-0000-0000-0000000000ab';

type Json = Record<string, any>;
type Op = Record<string, unknown>;

/** One recorded IdP PatchOp body from test/fixtures/idp, with the recorded ids swapped for ours. */
function idpBody(name: string, ids: Record<string, string> = {}): Json {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'test', 'fixtures', 'idp'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('test/fixtures/idp not found');
    dir = parent;
  }
  let text = readFileSync(join(dir, 'test', 'fixtures', 'idp', `${name}.json`), 'utf8');
  for (const [recorded, real] of Object.entries(ids)) {
    assert.ok(text.includes(recorded), `${name} mentions ${recorded}`);
    text = text.replaceAll(recorded, real);
  }
  return JSON.parse(text) as Json;
}

const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : typeof v === 'boolean' ? v : Number(v) === 1);
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

/** Shared helpers over one running app. */
function helpers(get: () => TestApp) {
  const t = (): TestApp => get();
  const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
    t().req(method, `${BASE}${path}`).set('Content-Type', SCIM_JSON).send(body as object);
  const patch = (type: 'Users' | 'Groups', id: string, ops: Op[], query: Record<string, string> = {}) =>
    send('patch', `/${type}/${id}`, { schemas: [PATCH_OP], Operations: ops }).query(query);
  const createUser = async (userName: string, extra: Json = {}): Promise<Json> => {
    const res = await send('post', '/Users', userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body as Json;
  };
  const createGroup = async (displayName: string, members: string[] = [], extra: Json = {}): Promise<Json> => {
    const res = await send('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })), ...extra });
    assert.equal(res.status, 201, res.text);
    return res.body as Json;
  };
  const userRow = async (id: string): Promise<{ version: number; lastModified: string; active: boolean | null; userName: string; doc: Json }> => {
    const rows = await t().db.query(`SELECT version, last_modified, active, user_name, doc FROM users WHERE id = '${id}'`);
    assert.equal(rows.length, 1, `users row ${id}`);
    const [r] = rows;
    return { version: Number(r.version), lastModified: r.last_modified, active: bool(r.active), userName: r.user_name, doc: JSON.parse(r.doc) };
  };
  const userVersion = async (id: string): Promise<number> => (await userRow(id)).version;
  const userEtag = async (id: string): Promise<string> => {
    const res = await t().req('get', `${BASE}/Users/${id}`);
    assert.equal(res.status, 200);
    return String(res.headers['etag']);
  };
  const groupRow = async (id: string): Promise<{ version: number; lastModified: string; displayName: string; doc: Json }> => {
    const rows = await t().db.query(`SELECT version, last_modified, display_name, doc FROM groups WHERE id = '${id}'`);
    assert.equal(rows.length, 1, `groups row ${id}`);
    const [r] = rows;
    return { version: Number(r.version), lastModified: r.last_modified, displayName: r.display_name, doc: JSON.parse(r.doc) };
  };
  const memberRows = async (groupId: string): Promise<string[]> =>
    sorted((await t().db.query(`SELECT member_id FROM group_members WHERE group_id = '${groupId}'`)).map((r: Json) => String(r['member_id'])));
  const multiValues = async (id: string): Promise<Json[]> =>
    (await t().db.query(`SELECT attr, value_key, type_key, is_primary FROM multi_values WHERE resource_id = '${id}' ORDER BY attr, idx`))
      .map((r: Json) => ({ attr: r['attr'], value: r['value_key'], type: r['type_key'], primary: bool(r['is_primary']) }));

  /**
   * A successful User PATCH: 200, ETag = meta.version, GET returns the same, and the stored
   * document, version, lastModified and derived columns agree with it.
   */
  const expectUserPatched = async (res: Response): Promise<Json> => {
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    assert.equal(res.headers['etag'], res.body.meta.version);
    const got = await t().req('get', `${BASE}/Users/${res.body.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, res.body);
    assert.equal(got.headers['etag'], res.headers['etag']);
    const row = await userRow(res.body.id);
    const { id: _id, meta, groups: _groups, ...stored } = res.body as Json;
    assert.deepEqual(row.doc, stored);
    assert.equal(`W/"${row.version}"`, meta.version);
    assert.equal(row.lastModified, meta.lastModified);
    assert.equal(row.active, typeof res.body.active === 'boolean' ? res.body.active : null);
    assert.equal(row.userName, res.body.userName);
    return res.body as Json;
  };

  /** The user, as GET and the database show it, is exactly `before`. */
  const expectUserUnchanged = async (before: Json): Promise<void> => {
    const got = await t().req('get', `${BASE}/Users/${before.id}`);
    assert.deepEqual(got.body, before);
    const row = await userRow(before.id);
    assert.equal(`W/"${row.version}"`, before.meta.version);
    assert.equal(row.lastModified, before.meta.lastModified);
  };

  return { send, patch, createUser, createGroup, userRow, userVersion, userEtag, groupRow, memberRows, multiValues, expectUserPatched, expectUserUnchanged };
}

describe('PATCH /Users/{id} (RFC 7644 §3.5.2)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  const h = helpers(() => t);

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
    assert.deepEqual(body.emails, [{ value: 'first@example.com', type: 'home' }, { value: 'second@example.com', type: 'work' }]);
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
      nickName: 'Old', name: { givenName: 'Keep' }, emails: [{ value: 'one@example.com', type: 'work' }],
    });
    const res = await h.patch('Users', user.id, [
      { op: 'add', value: { nickName: 'New', name: { familyName: 'Added' }, emails: [{ value: 'two@example.com', type: 'home' }] } },
    ]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.nickName, 'New');
    assert.deepEqual(body.name, { givenName: 'Keep', familyName: 'Added' });
    assert.deepEqual(body.emails, [{ value: 'one@example.com', type: 'work' }, { value: 'two@example.com', type: 'home' }]);
  });

  it('replace with a path: simple, sub-attribute, multi-valued replaced wholesale, complex keeps the rest', async () => {
    const user = await h.createUser('replace.path@example.com', {
      title: 'Old Title', name: { givenName: 'Old', familyName: 'Family' },
      emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'home' }],
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
    assert.deepEqual(await h.multiValues(user.id), [{ attr: 'emails', value: 'c@example.com', type: 'other', primary: false }]);
  });

  it('replace without a path: each attribute replaced, sub-attributes not given stay', async () => {
    const user = await h.createUser('replace.nopath@example.com', {
      displayName: 'Before', name: { givenName: 'G', familyName: 'F' }, phoneNumbers: [{ value: '1', type: 'work' }],
    });
    const res = await h.patch('Users', user.id, [
      { op: 'replace', value: { displayName: 'After', name: { familyName: 'F2' }, phoneNumbers: [{ value: '2', type: 'mobile' }] } },
    ]);
    const body = await h.expectUserPatched(res);
    assert.equal(body.displayName, 'After');
    assert.deepEqual(body.name, { givenName: 'G', familyName: 'F2' });
    assert.deepEqual(body.phoneNumbers, [{ value: '2', type: 'mobile' }]);
  });

  it('remove with a path: simple, sub-attribute (parent dropped when empty), filtered values, whole multi-valued', async () => {
    const user = await h.createUser('remove.path@example.com', {
      title: 'T', name: { givenName: 'Only' },
      emails: [{ value: 'w@example.com', type: 'work' }, { value: 'h@example.com', type: 'home' }],
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
    const second = await h.patch('Users', user.id, [{ op: 'remove', path: 'emails' }, { op: 'remove', path: 'phoneNumbers' }]);
    const cleared = await h.expectUserPatched(second);
    assert.equal(cleared.emails, undefined);
    assert.equal(cleared.phoneNumbers, undefined);
    assert.equal(second.headers['etag'], 'W/"3"');
    assert.deepEqual(await h.multiValues(user.id), []);
  });

  it('emails[type eq "work"].value replace changes only the work address', async () => {
    const user = await h.createUser('valuepath@example.com', {
      emails: [{ value: 'home@example.com', type: 'home' }, { value: 'old.work@example.com', type: 'work', primary: true }],
    });
    const res = await h.patch('Users', user.id, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'New.Work@example.com' }]);
    const body = await h.expectUserPatched(res);
    assert.deepEqual(body.emails, [
      { value: 'home@example.com', type: 'home' },
      { value: 'New.Work@example.com', type: 'work', primary: true },
    ]);
    const filtered = await t.req('get', `${BASE}/Users`).query({ filter: 'emails[type eq "work"].value eq "new.work@example.com"' });
    assert.deepEqual(filtered.body.Resources.map((r: Json) => r.id), [user.id]);
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

    const cleared = await h.expectUserPatched(await h.patch('Users', user.id, [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' }]));
    assert.deepEqual(cleared[ENTERPRISE], { department: 'Engineering' });

    const managerValue = await h.expectUserPatched(await h.patch('Users', user.id, [{ op: 'add', path: `${ENTERPRISE}:manager.value`, value: 'boss-2' }]));
    assert.deepEqual(managerValue[ENTERPRISE], { department: 'Engineering', manager: { value: 'boss-2' } });

    const gone = await h.expectUserPatched(await h.patch('Users', user.id, [
      { op: 'remove', path: `${ENTERPRISE}:department` },
      { op: 'remove', path: `${ENTERPRISE}:manager` },
    ]));
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
    const reactivated = await h.expectUserPatched(await h.patch('Users', user.id, [{ op: 'Replace', path: 'active', value: 'True' }]));
    assert.equal(reactivated.active, true);
    assert.equal((await h.userRow(user.id)).active, true);
  });

  it('pathless replace with dotted and URN keys applies each key as its own path', async () => {
    const user = await h.createUser('dotted.keys@example.com', { name: { familyName: 'Stays' } });
    const res = await h.patch('Users', user.id, [{
      op: 'replace',
      value: {
        'name.givenName': 'John',
        [`${ENTERPRISE}:department`]: 'Sales',
        [`${ENTERPRISE}:manager`]: 'mgr-1',
        [ENTERPRISE]: { costCenter: 'CC-9' },
        'emails[type eq "work"].value': 'john@example.com',
        displayName: 'John D',
      },
    }]);
    const body = await h.expectUserPatched(res);
    assert.deepEqual(body.name, { familyName: 'Stays', givenName: 'John' });
    assert.deepEqual(body[ENTERPRISE], { department: 'Sales', manager: { value: 'mgr-1' }, costCenter: 'CC-9' });
    assert.deepEqual(body.schemas, [USER_SCHEMA, ENTERPRISE]);
    assert.deepEqual(body.emails, [{ type: 'work', value: 'john@example.com' }]);
    assert.equal(body.displayName, 'John D');
    const { doc } = await h.userRow(user.id);
    assert.deepEqual(Object.keys(doc).filter((k) => k.includes('.') && !k.startsWith('urn:')), [], 'no literal dotted keys are stored');
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
    const user = await h.createUser('create.element@example.com', { emails: [{ value: 'home@example.com', type: 'home' }] });
    const added = await h.expectUserPatched(await h.patch('Users', user.id, [{ op: 'add', path: 'emails[type eq "work"].value', value: 'work@example.com' }]));
    assert.deepEqual(added.emails, [{ value: 'home@example.com', type: 'home' }, { type: 'work', value: 'work@example.com' }]);
    const replaced = await h.expectUserPatched(await h.patch('Users', user.id, [
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+32 000' },
    ]));
    assert.deepEqual(replaced.phoneNumbers, [{ type: 'mobile', value: '+32 000' }]);
    assert.deepEqual(await h.multiValues(user.id), [
      { attr: 'emails', value: 'home@example.com', type: 'home', primary: false },
      { attr: 'emails', value: 'work@example.com', type: 'work', primary: false },
      { attr: 'phonenumbers', value: '+32 000', type: 'mobile', primary: false },
    ]);
  });

  it('primary: true on one email turns the other primary off (never two primaries)', async () => {
    const user = await h.createUser('primary.flip@example.com', {
      emails: [{ value: 'a@example.com', type: 'work', primary: true }, { value: 'b@example.com', type: 'home' }],
    });
    const flipped = await h.expectUserPatched(await h.patch('Users', user.id, [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]));
    assert.deepEqual(flipped.emails, [
      { value: 'a@example.com', type: 'work', primary: false },
      { value: 'b@example.com', type: 'home', primary: true },
    ]);
    const appended = await h.expectUserPatched(await h.patch('Users', user.id, [
      { op: 'add', path: 'emails', value: [{ value: 'c@example.com', type: 'other', primary: true }] },
    ]));
    assert.deepEqual(appended.emails.filter((e: Json) => e.primary === true).map((e: Json) => e.value), ['c@example.com']);
    assert.deepEqual(await h.multiValues(user.id), [
      { attr: 'emails', value: 'a@example.com', type: 'work', primary: false },
      { attr: 'emails', value: 'b@example.com', type: 'home', primary: false },
      { attr: 'emails', value: 'c@example.com', type: 'other', primary: true },
    ]);
  });

  it('errors: remove without path → noTarget, remove userName / replace id → mutability, bad path → invalidPath, bad filter → invalidFilter; nothing changes', async () => {
    const user = await h.createUser('errors@example.com', { displayName: 'Unchanged', emails: [{ value: 'e@example.com', type: 'work' }] });
    expectScimError(await h.patch('Users', user.id, [{ op: 'remove' }]), 400, 'noTarget');
    expectScimError(await h.patch('Users', user.id, [{ op: 'remove', value: { displayName: 'Unchanged' } }]), 400, 'noTarget');
    expectScimError(await h.patch('Users', user.id, [{ op: 'remove', path: 'userName' }]), 400, 'mutability');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'userName', value: null }]), 400, 'mutability');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'id', value: randomUUID() }]), 400, 'mutability');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'meta.created', value: '2000-01-01T00:00:00Z' }]), 400, 'mutability');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'noSuchAttribute', value: 'x' }]), 400, 'invalidPath');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'name..givenName', value: 'x' }]), 400, 'invalidPath');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'name.noSuchSub', value: 'x' }]), 400, 'invalidPath');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'emails[type eq].value', value: 'x' }]), 400, 'invalidFilter');
    expectScimError(await h.patch('Users', user.id, [{ op: 'remove', path: 'emails[type zz "work"]' }]), 400, 'invalidFilter');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'displayName', value: 42 }]), 400, 'invalidValue');
    expectScimError(await h.patch('Users', user.id, [{ op: 'replace', path: 'active', value: 'maybe' }]), 400, 'invalidValue');
    await h.expectUserUnchanged(user);
  });

  it('userName collision through PATCH is 409 uniqueness (case-insensitively) and changes nothing', async () => {
    await h.createUser('Taken.Name@example.com');
    const user = await h.createUser('wants.rename@example.com');
    const res = await h.patch('Users', user.id, [
      { op: 'replace', path: 'displayName', value: 'Renamed' },
      { op: 'replace', path: 'userName', value: 'TAKEN.name@example.com' },
    ]);
    expectScimError(res, 409, 'uniqueness');
    await h.expectUserUnchanged(user);
    const ok = await h.expectUserPatched(await h.patch('Users', user.id, [{ op: 'replace', path: 'userName', value: 'Wants.Rename@example.com' }]));
    assert.equal(ok.userName, 'Wants.Rename@example.com');
  });

  it('atomic: when the 2nd operation fails, the 1st is not applied (document and version unchanged)', async () => {
    const user = await h.createUser('atomic@example.com', { displayName: 'Original', name: { givenName: 'Orig' } });
    for (const second of [
      { op: 'remove', path: 'userName' },
      { op: 'replace', path: 'emails[type eq "work"].nope', value: 'x' },
      { op: 'move', path: 'displayName' },
      { op: 'replace', path: 'active', value: 'not-a-boolean' },
    ]) {
      const res = await h.patch('Users', user.id, [{ op: 'replace', path: 'displayName', value: 'Changed' }, second, { op: 'remove', path: 'name' }]);
      assert.equal(res.status, 400, `${JSON.stringify(second)}: ${res.text}`);
      assert.match(res.body.detail, /Operations\[1\]/, `the failing operation is named: ${res.body.detail}`);
      await h.expectUserUnchanged(user);
    }
  });

  it('a PATCH that changes nothing keeps the version and meta.lastModified', async () => {
    const user = await h.createUser('noop@example.com', {
      displayName: 'Same', emails: [{ value: 'same@example.com', type: 'work' }], [ENTERPRISE]: { department: 'D' },
    });
    const res = await h.patch('Users', user.id, [
      { op: 'replace', path: 'displayName', value: 'Same' },
      { op: 'add', path: 'emails', value: [{ value: 'same@example.com', type: 'work' }] },
      { op: 'replace', path: `${ENTERPRISE}:department`, value: 'D' },
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
    ]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], 'W/"1"');
    assert.deepEqual(res.body, user);
    await h.expectUserUnchanged(user);
    // Changing then changing back in one request is no change either.
    const roundTrip = await h.patch('Users', user.id, [
      { op: 'replace', path: 'displayName', value: 'Other' },
      { op: 'replace', path: 'displayName', value: 'Same' },
    ]);
    assert.equal(roundTrip.headers['etag'], 'W/"1"');
    await h.expectUserUnchanged(user);
  });

  it('attributes=userName on PATCH answers 200 with only id, schemas and userName; excludedAttributes too', async () => {
    const user = await h.createUser('projected@example.com', { displayName: 'P' });
    const res = await h.patch('Users', user.id, [{ op: 'replace', path: 'displayName', value: 'Q' }], { attributes: 'userName' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { schemas: [USER_SCHEMA], id: user.id, userName: 'projected@example.com' });
    assert.equal(res.headers['etag'], 'W/"2"');
    const excluded = await h.patch('Users', user.id, [{ op: 'replace', path: 'displayName', value: 'R' }], { excludedAttributes: 'displayName,meta' });
    assert.equal(excluded.status, 200);
    assert.equal(excluded.body.displayName, undefined);
    assert.equal(excluded.body.meta, undefined);
    assert.equal(excluded.body.userName, 'projected@example.com');
    assert.equal(excluded.headers['etag'], 'W/"3"');
    assert.equal((await h.userRow(user.id)).doc['displayName'], 'R');
  });

  it('PatchOp envelope errors are 400 invalidSyntax and change nothing', async () => {
    const user = await h.createUser('envelope@example.com', { displayName: 'Env' });
    const op = { op: 'replace', path: 'displayName', value: 'Broken' };
    const path = `/Users/${user.id}`;
    for (const body of [
      { Operations: [op] },
      { schemas: [USER_SCHEMA], Operations: [op] },
      { schemas: PATCH_OP, Operations: [op] },
      { schemas: [PATCH_OP], Operations: [] },
      { schemas: [PATCH_OP] },
      { schemas: [PATCH_OP], Operations: op },
      { schemas: [PATCH_OP], Operations: 'replace' },
      { schemas: [PATCH_OP], Operations: [42] },
      { schemas: [PATCH_OP], Operations: [{ op: 'move', path: 'displayName', value: 'x' }] },
      { schemas: [PATCH_OP], Operations: [{ path: 'displayName', value: 'x' }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName' }] },
      [op],
      [{ schemas: [PATCH_OP], Operations: [op] }],
    ]) {
      const res = await h.send('patch', path, body);
      expectScimError(res, 400, 'invalidSyntax');
    }
    await h.expectUserUnchanged(user);
  });

  it('unknown id is 404; a valid PATCH on a deleted user is 404', async () => {
    const ops = [{ op: 'replace', path: 'displayName', value: 'x' }];
    expectScimError(await h.patch('Users', UNKNOWN_ID, ops), 404);
    expectScimError(await h.patch('Users', 'not-a-uuid', ops), 404);
    const user = await h.createUser('deleted.patch@example.com');
    assert.equal((await t.req('delete', `${BASE}/Users/${user.id}`)).status, 204);
    expectScimError(await h.patch('Users', user.id, ops), 404);
  });

  it('replays Entra\'s recorded user PATCH (capitalised Replace of valuePath, name, userName, active)', async () => {
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
    assert.deepEqual(body.name, { formatted: 'givenName familyName', familyName: 'updatedFamilyName', givenName: 'givenName' });
    assert.equal(body.active, false);
    assert.deepEqual(body.emails, [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    assert.equal(body.externalId, '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef');
    assert.equal(res.headers['etag'], 'W/"2"');
    const byName = await t.req('get', `${BASE}/Users`).query({ filter: 'userName eq "5B50642D-79FC-4410-9E90-4C077CDD1A59@testuser.com"' });
    assert.deepEqual(byName.body.Resources.map((r: Json) => r.id), [user.id]);
  });

  it('replays Okta\'s recorded user PATCH (pathless replace {"active": false})', async () => {
    const user = await h.createUser('test.user@okta.local', {
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User', locale: 'en-US', externalId: '00ujl29u0le5T6Aj10h7', groups: [], active: true,
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

describe('PATCH /Groups/{id}: members as set-based SQL (RFC 7644 §3.5.2, requirements B.5, B.10–B.12)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  const h = helpers(() => t);
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

  it('add members (array): members, group version and each added user\'s version and ETag move', async () => {
    const [a, b, c] = await users(3, 'add');
    const group = await h.createGroup('Add Members', [a!]);
    assert.deepEqual(await versions([a!, b!, c!]), [2, 1, 1]);
    const res = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: b }, { value: c, type: 'User' }] }]);
    const body = await expectGroupPatched(res, [a!, b!, c!]);
    assert.equal(res.headers['etag'], 'W/"2"');
    const memberC = body.members.find((m: Json) => m.value === c);
    assert.deepEqual(memberC, { value: c, $ref: `${t.url}${BASE}/Users/${c}`, type: 'User', display: memberC.display });
    assert.deepEqual(await versions([a!, b!, c!]), [2, 2, 2], 'a was not touched; b and c were added');
    assert.equal(await h.userEtag(b!), 'W/"2"');
    const bUser = await t.req('get', `${BASE}/Users/${b}`);
    assert.deepEqual(bUser.body.groups.map((g: Json) => g.value), [group.id]);
  });

  it('adding an existing member is a no-op: group and user versions and lastModified unchanged', async () => {
    const [a] = await users(1, 'noop');
    const group = await h.createGroup('No-op Add', [a!]);
    const res = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: a }] }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], 'W/"1"');
    assert.equal(res.body.meta.lastModified, group.meta.lastModified);
    assert.equal((await h.groupRow(group.id)).version, 1);
    assert.deepEqual(await versions([a!]), [2]);
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
    const group = await h.createGroup('Remove Filter', [a!, b!, c!]);
    const res = await h.patch('Groups', group.id, [{ op: 'remove', path: `members[value eq "${b}"]` }]);
    await expectGroupPatched(res, [a!, c!]);
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.deepEqual(await versions([a!, b!, c!]), [2, 3, 2]);
    assert.equal(await h.userEtag(b!), 'W/"3"');
    assert.equal((await t.req('get', `${BASE}/Users/${b}`)).body.groups, undefined);
  });

  it('Entra {"op":"Remove","path":"members","value":[{"value":id}]} removes only that member', async () => {
    const [a, b, c] = await users(3, 'entra-rm');
    const group = await h.createGroup('Entra Remove', [a!, b!, c!]);
    const res = await h.patch('Groups', group.id, [{ op: 'Remove', path: 'members', value: [{ value: a }] }]);
    await expectGroupPatched(res, [b!, c!]);
    assert.deepEqual(await versions([a!, b!, c!]), [3, 2, 2]);
    const two = await h.patch('Groups', group.id, [{ op: 'Remove', path: 'members', value: [{ value: b, $ref: null }, { value: c }] }]);
    await expectGroupPatched(two, []);
  });

  it('{"op":"remove","path":"members"} removes every member and bumps each of them', async () => {
    const [a, b] = await users(2, 'rm-all');
    const group = await h.createGroup('Remove All', [a!, b!]);
    const res = await h.patch('Groups', group.id, [{ op: 'remove', path: 'members' }]);
    const body = await expectGroupPatched(res, []);
    assert.equal(body.members, undefined);
    assert.deepEqual(await versions([a!, b!]), [3, 3]);
  });

  it('Okta full replace of members: the set becomes exactly the list; only users whose membership changed are bumped', async () => {
    const [a, b, c] = await users(3, 'okta-replace');
    const group = await h.createGroup('Okta Replace', [a!, b!]);
    const res = await h.patch('Groups', group.id, [{ op: 'replace', path: 'members', value: [{ value: b, display: 'x' }, { value: c, display: 'y' }] }]);
    await expectGroupPatched(res, [b!, c!]);
    assert.deepEqual(await versions([a!, b!, c!]), [3, 2, 2], 'a removed, b kept (not bumped), c added');
    const empty = await h.patch('Groups', group.id, [{ op: 'replace', path: 'members', value: [] }]);
    await expectGroupPatched(empty, []);
  });

  it('Okta remove + add in one request, and the recorded Okta membership PATCH', async () => {
    const [a, b, c] = await users(3, 'okta-mix');
    const group = await h.createGroup('Okta Mix', [a!, b!]);
    const res = await h.patch('Groups', group.id, [
      { op: 'remove', path: `members[value eq "${a}"]` },
      { op: 'add', path: 'members', value: [{ value: c, display: 'c' }] },
    ]);
    await expectGroupPatched(res, [b!, c!]);
    assert.equal(res.headers['etag'], 'W/"2"', 'one request, one new version');
    assert.deepEqual(await versions([a!, b!, c!]), [3, 2, 2]);

    // Recorded: remove A, add B, replace [B, A] on a group holding A.
    const [recA, recB] = await users(2, 'okta-recorded');
    const recorded = await h.createGroup('Okta Recorded Membership', [recA!]);
    const body = idpBody('okta-update_group_membership', {
      '89bb1940-b905-4575-9e7f-6f887cfb368e': recA!,
      '23a35c27-23d3-4c03-b4c5-6443c09e7173': recB!,
    });
    const replayed = await h.send('patch', `/Groups/${recorded.id}`, body);
    await expectGroupPatched(replayed, [recA!, recB!]);
    assert.deepEqual(await versions([recA!, recB!]), [2, 2], 'A stays a member throughout (not bumped); B added');
  });

  it('members[value eq "a" or value eq "b"] removes both, nobody else', async () => {
    const [a, b, c] = await users(3, 'rm-or');
    const group = await h.createGroup('Remove Or', [a!, b!, c!]);
    const res = await h.patch('Groups', group.id, [{ op: 'remove', path: `members[value eq "${a}" or value eq "${c}"]` }]);
    await expectGroupPatched(res, [b!]);
    assert.deepEqual(await versions([a!, b!, c!]), [3, 2, 3]);
  });

  it('members[type eq "Group"] removes the nested groups only', async () => {
    const [a, b] = await users(2, 'rm-type');
    const child1 = await h.createGroup('Nested One');
    const child2 = await h.createGroup('Nested Two');
    const group = await h.createGroup('Remove Type', [a!, child1.id, b!, child2.id]);
    const res = await h.patch('Groups', group.id, [{ op: 'remove', path: 'members[type eq "Group"]' }]);
    await expectGroupPatched(res, [a!, b!]);
    assert.deepEqual(await versions([a!, b!]), [2, 2], 'user members untouched');
    assert.equal((await h.groupRow(child1.id)).version, 1);
    const viaUserType = await h.patch('Groups', group.id, [{ op: 'remove', path: 'members[type eq "user" and value eq "' + a + '"]' }]);
    await expectGroupPatched(viaUserType, [b!]);
  });

  it('rename via PATCH displayName: group version moves, members\' versions do not; Okta\'s recorded rename works', async () => {
    const [a, b] = await users(2, 'rename');
    const group = await h.createGroup('Before Rename', [a!, b!]);
    const res = await h.patch('Groups', group.id, [{ op: 'replace', path: 'displayName', value: 'After Rename' }]);
    const body = await expectGroupPatched(res, [a!, b!]);
    assert.equal(body.displayName, 'After Rename');
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal((await h.groupRow(group.id)).displayName, 'After Rename');
    assert.deepEqual(await versions([a!, b!]), [2, 2]);
    const aUser = await t.req('get', `${BASE}/Users/${a}`);
    assert.deepEqual(aUser.body.groups.map((g: Json) => g.display), ['After Rename']);

    const okta = await h.send('patch', `/Groups/${group.id}`, idpBody('okta-update_group_name', { 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b': group.id }));
    const renamed = await expectGroupPatched(okta, [a!, b!]);
    assert.equal(renamed.displayName, 'Test SCIMv2');
    assert.equal(renamed.id, group.id);
    assert.deepEqual(await versions([a!, b!]), [2, 2]);
    const byName = await t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq "test scimv2"', excludedAttributes: 'members' });
    assert.deepEqual(byName.body.Resources.map((r: Json) => r.id), [group.id]);
  });

  it('replays Entra\'s recorded group PATCH: rename, Add then Remove of one member → renamed, member not kept', async () => {
    const [m] = await users(1, 'entra-group');
    const group = await h.createGroup('displayName', [], { externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    const res = await h.send('patch', `/Groups/${group.id}`, idpBody('azuread-update_group', { f648f8d5ea4e4cd38e9c: m! }));
    const body = await expectGroupPatched(res, []);
    assert.equal(body.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    assert.equal(body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.deepEqual(await versions([m!]), [1], 'added and removed in one request: its groups never changed');
  });

  it('an unknown member id is 400 invalidValue naming it, and nothing changes (not even an earlier op)', async () => {
    const [a, b] = await users(2, 'unknown');
    const group = await h.createGroup('Unknown Member', [a!]);
    const res = await h.patch('Groups', group.id, [
      { op: 'replace', path: 'displayName', value: 'Must Not Stick' },
      { op: 'add', path: 'members', value: [{ value: b }, { value: UNKNOWN_ID }] },
    ]);
    expectScimError(res, 400, 'invalidValue');
    assert.match(res.body.detail, new RegExp(UNKNOWN_ID));
    assert.doesNotMatch(res.body.detail, new RegExp(b!));
    const row = await h.groupRow(group.id);
    assert.equal(row.displayName, 'Unknown Member');
    assert.equal(row.version, 1);
    assert.deepEqual(await h.memberRows(group.id), [a]);
    assert.deepEqual(await versions([a!, b!]), [2, 1]);
    // The removal runs as SQL before the add's ids are resolved: the transaction must undo it.
    const removeThenFail = await h.patch('Groups', group.id, [
      { op: 'remove', path: `members[value eq "${a}"]` },
      { op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] },
    ]);
    expectScimError(removeThenFail, 400, 'invalidValue');
    assert.deepEqual(await h.memberRows(group.id), [a]);
    assert.deepEqual(await versions([a!]), [2]);
    assert.equal((await h.groupRow(group.id)).version, 1);
    expectScimError(await h.patch('Groups', group.id, [{ op: 'replace', path: 'members', value: [{ value: 'not-a-uuid' }] }]), 400, 'invalidValue');
    assert.deepEqual(await h.memberRows(group.id), [a]);
    expectScimError(await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: b, type: 'Group' }] }]), 400, 'invalidValue');
    assert.deepEqual(await h.memberRows(group.id), [a]);
  });

  it('a membership cycle is refused with 400 and nothing changes', async () => {
    const top = await h.createGroup('Cycle Top');
    const middle = await h.createGroup('Cycle Middle', [top.id]);
    const bottom = await h.createGroup('Cycle Bottom', [middle.id]);
    for (const [target, member] of [[top, bottom], [top, middle], [top, top]] as const) {
      const res = await h.patch('Groups', target.id, [{ op: 'add', path: 'members', value: [{ value: member.id, type: 'Group' }] }]);
      expectScimError(res, 400, 'invalidValue');
    }
    const replace = await h.patch('Groups', top.id, [{ op: 'replace', path: 'members', value: [{ value: bottom.id }] }]);
    expectScimError(replace, 400, 'invalidValue');
    assert.deepEqual(await h.memberRows(top.id), []);
    assert.equal((await h.groupRow(top.id)).version, 1);
    assert.deepEqual(await h.memberRows(middle.id), [top.id]);
  });

  it('members sub-attributes cannot be patched; unknown group is 404; envelope errors are invalidSyntax', async () => {
    const [a] = await users(1, 'group-errors');
    const group = await h.createGroup('Group Errors', [a!]);
    expectScimError(await h.patch('Groups', group.id, [{ op: 'replace', path: `members[value eq "${a}"].display`, value: 'x' }]), 400, 'mutability');
    expectScimError(await h.patch('Groups', group.id, [{ op: 'remove', path: 'displayName' }]), 400, 'mutability');
    expectScimError(await h.patch('Groups', group.id, [{ op: 'remove', path: 'members[value zz "x"]' }]), 400, 'invalidFilter');
    expectScimError(await h.patch('Groups', group.id, [{ op: 'add', path: 'owners', value: [] }]), 400, 'invalidPath');
    expectScimError(await h.patch('Groups', UNKNOWN_ID, [{ op: 'add', path: 'members', value: [{ value: a }] }]), 404);
    expectScimError(await h.send('patch', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [] }), 400, 'invalidSyntax');
    expectScimError(await h.send('patch', `/Groups/${group.id}`, [{ op: 'remove', path: 'members' }]), 400, 'invalidSyntax');
    assert.deepEqual(await h.memberRows(group.id), [a]);
    assert.equal((await h.groupRow(group.id)).version, 1);
  });
});

describe('PATCH /Groups with UNKNOWN_MEMBERS=ignore', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { UNKNOWN_MEMBERS: 'ignore' } });
  });
  after(async () => {
    await t.close();
  });
  const h = helpers(() => t);

  it('unknown ids are skipped and the known ones added', async () => {
    const a = (await h.createUser('ignore.a@example.com')).id as string;
    const b = (await h.createUser('ignore.b@example.com')).id as string;
    const group = await h.createGroup('Ignore Unknown', [a]);
    const res = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }, { value: b }, { value: 'not-a-uuid' }] }]);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(sorted(res.body.members.map((m: Json) => m.value)), sorted([a, b]));
    assert.deepEqual(await h.memberRows(group.id), sorted([a, b]));
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal(await h.userVersion(b), 2);
    // Only unknown ids: nothing to add, nothing changes.
    const none = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] }]);
    assert.equal(none.status, 200, none.text);
    assert.equal(none.headers['etag'], 'W/"2"');
    const replaced = await h.patch('Groups', group.id, [{ op: 'replace', path: 'members', value: [{ value: b }, { value: UNKNOWN_ID }] }]);
    assert.equal(replaced.status, 200, replaced.text);
    assert.deepEqual(await h.memberRows(group.id), [b]);
  });
});

describe('PATCH /Groups with GROUP_PATCH_STATUS=204', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { GROUP_PATCH_STATUS: '204' } });
  });
  after(async () => {
    await t.close();
  });
  const h = helpers(() => t);

  it('answers 204 with an ETag and no body; 200 with a body when attributes or excludedAttributes is given', async () => {
    const a = (await h.createUser('status204.a@example.com')).id as string;
    const b = (await h.createUser('status204.b@example.com')).id as string;
    const group = await h.createGroup('Status 204');
    const res = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: a }] }]);
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.deepEqual(await h.memberRows(group.id), [a]);

    const noop = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: a }] }]);
    assert.equal(noop.status, 204);
    assert.equal(noop.headers['etag'], 'W/"2"');

    const withAttributes = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: b }] }], { attributes: 'displayName' });
    assert.equal(withAttributes.status, 200, withAttributes.text);
    assert.deepEqual(withAttributes.body, { schemas: [GROUP_SCHEMA], id: group.id, displayName: 'Status 204' });
    assert.equal(withAttributes.headers['etag'], 'W/"3"');

    const withExcluded = await h.patch('Groups', group.id, [{ op: 'replace', path: 'displayName', value: 'Status 204 Renamed' }], { excludedAttributes: 'members' });
    assert.equal(withExcluded.status, 200, withExcluded.text);
    assert.equal(withExcluded.body.displayName, 'Status 204 Renamed');
    assert.equal(withExcluded.body.members, undefined);
    assert.equal(withExcluded.body.meta.version, 'W/"4"');
    assert.equal(withExcluded.headers['etag'], 'W/"4"');

    const error = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] }]);
    expectScimError(error, 400, 'invalidValue');

    const user = await h.patch('Users', a, [{ op: 'replace', path: 'displayName', value: 'Users still 200' }]);
    assert.equal(user.status, 200, 'the setting is for Groups only');
    assert.equal(user.body.displayName, 'Users still 200');
  });
});

interface Statement {
  readonly sql: string;
  /** Rows returned (SELECT, … RETURNING) or, on PostgreSQL, rows affected; null when the driver does not say. */
  readonly rows: number | null;
  /** Bound parameters ($n on PostgreSQL; the keys of the one named-parameter object on SQLite). */
  readonly params: number;
}

function paramsOf(parameters: unknown): number {
  const list: unknown[] = Array.isArray(parameters) ? parameters : [];
  const [first] = list;
  return list.length === 1 && first !== null && typeof first === 'object' ? Object.keys(first).length : list.length;
}

function rowsOf(raw: unknown): number | null {
  if (Array.isArray(raw)) return raw.length;
  if (raw !== null && typeof raw === 'object' && 'rowCount' in raw) {
    const result = raw as { rowCount: number | null; rows?: unknown[] };
    return Math.max(result.rowCount ?? 0, result.rows?.length ?? 0);
  }
  return null;
}

/**
 * Every statement the app sends through TypeORM (the transactional write path) while `fn` runs,
 * with how many rows each returned or touched, seen through TypeORM's public query events
 * (EntitySubscriberInterface.afterQuery) on the app's own DataSource.
 */
async function captureWrites<T>(db: DataSource, fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  const statements: Statement[] = [];
  const subscriber: EntitySubscriberInterface = {
    afterQuery(event: AfterQueryEvent) {
      statements.push({ sql: event.query.replace(/\s+/g, ' ').trim(), rows: rowsOf(event.rawResults), params: paramsOf(event.parameters) });
    },
  };
  db.subscribers.push(subscriber);
  try {
    return { result: await fn(), statements };
  } finally {
    db.subscribers.splice(db.subscribers.indexOf(subscriber), 1);
  }
}

describe('One-member PATCH on a 2,000-member group reads no member list', () => {
  const SIZE = 2000;
  let t: TestApp;
  let groupId = '';
  let memberIds: string[] = [];
  before(async () => {
    t = await startTestApp();
    // Users need only a row to be members; direct inserts keep the seeding fast.
    const now = new Date().toISOString();
    memberIds = Array.from({ length: SIZE }, () => randomUUID());
    for (let i = 0; i < SIZE; i += 500) {
      const values = memberIds.slice(i, i + 500).map((id, j) => {
        const userName = `bulk.${i + j}@example.com`;
        return `('${id}', '${userName}', '${userName}', '${now}', '${now}', 1, '${JSON.stringify({ schemas: [USER_SCHEMA], userName })}')`;
      });
      await t.db.query(`INSERT INTO users (id, user_name, user_name_key, created, last_modified, version, doc) VALUES ${values.join(', ')}`);
    }
    const res = await t.req('post', `${BASE}/Groups`).set('Content-Type', SCIM_JSON).query({ excludedAttributes: 'members' })
      .send({ schemas: [GROUP_SCHEMA], displayName: 'Huge', members: memberIds.map((value) => ({ value })) });
    assert.equal(res.status, 201, res.text);
    groupId = res.body.id;
    const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${groupId}'`);
    assert.equal(Number(n), SIZE);
  });
  after(async () => {
    await t.close();
  });
  const h = helpers(() => t);
  const memberCount = async (): Promise<number> =>
    Number((await t.db.query(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${groupId}'`))[0].n);

  /** PostgreSQL only: rows read from group_members (sequential scans plus index entries), per the statistics views. */
  const pool = (): pg.Pool => (t.db.driver as unknown as { master: pg.Pool }).master;
  async function memberTuplesRead(): Promise<number> {
    // Each backend flushes its pending statistics before it answers the next statement when asked
    // to (pg_stat_force_next_flush, PostgreSQL 15+); `max` concurrent statements reach every
    // pooled connection the server holds, so the counters below include all of its work so far.
    const max = (pool() as unknown as { options: { max: number } }).options.max;
    await Promise.all(Array.from({ length: max }, () => pool().query('SELECT pg_stat_force_next_flush()')));
    const { rows } = await pool().query(`SELECT
        (SELECT seq_tup_read FROM pg_stat_user_tables WHERE relid = 'group_members'::regclass)
      + (SELECT COALESCE(SUM(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relid = 'group_members'::regclass) AS n`);
    return Number(rows[0].n);
  }

  for (const [name, ops] of [
    ['add one member', (added: string) => [{ op: 'add', path: 'members', value: [{ value: added }] }]],
    ['remove one member by members[value eq]', (_added: string, removed: string) => [{ op: 'remove', path: `members[value eq "${removed}"]` }]],
    ['Entra remove with a value list', (_added: string, removed: string) => [{ op: 'Remove', path: 'members', value: [{ value: removed }] }]],
  ] as const) {
    it(`${name}: every statement of the write and the response path touches at most one row`, async (ctx) => {
      const added = name === 'add one member' ? ((await h.createUser(`huge.${randomUUID()}@example.com`)).id as string) : '';
      const removed = memberIds.pop()!;
      const before = await h.groupRow(groupId);
      const sizeBefore = await memberCount();
      const pgBefore = t.dialect === 'postgres' ? await memberTuplesRead() : 0;

      const reads = await t.captureReads(() => captureWrites(t.db, () =>
        h.patch('Groups', groupId, ops(added, removed) as Op[], { excludedAttributes: 'members' })));
      const { result: res, statements: writes } = reads.result;

      for (const s of writes) ctx.diagnostic(`write path (${s.rows ?? '-'} rows, ${s.params} params): ${s.sql.slice(0, 120)}`);
      for (const s of reads.statements) ctx.diagnostic(`read path: ${s.replace(/\s+/g, ' ').slice(0, 140)}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.members, undefined);
      assert.equal(res.headers['etag'], `W/"${before.version + 1}"`);
      // Response path: the prepared-statement reader never touched group_members.
      assert.deepEqual(reads.statements.filter((s) => /group_members/i.test(s)), []);
      // Write path: every statement returned or changed at most one row (a member list would be 2,000).
      assert.ok(writes.some((s) => /group_members/i.test(s.sql)), writes.map((s) => s.sql).join('\n'));
      const big = writes.filter((s) => s.rows !== null && s.rows > 1);
      assert.deepEqual(big, [], 'no statement returned or touched more than one row');
      // … and none carried a list of ids (the group row's UPDATE has the most: 6).
      const long = writes.filter((s) => s.params > 6);
      assert.deepEqual(long, [], 'no statement was sent more than 6 parameters');
      // And none of them selects group_members by group alone (the shape of a member-list read).
      const listReads = writes.filter((s) => /\bFROM group_members\b/i.test(s.sql) && !/member_id\s*(=|IN\b)/i.test(s.sql));
      assert.deepEqual(listReads, []);

      if (t.dialect === 'postgres') {
        const read = (await memberTuplesRead()) - pgBefore;
        ctx.diagnostic(`pg_stat: group_members rows read by the PATCH: ${read}`);
        assert.ok(read < 10, `group_members rows read by the PATCH: ${read} (the group has ${SIZE})`);
      }
      if (name === 'add one member') {
        assert.equal(await memberCount(), sizeBefore + 1);
        assert.equal(await h.userVersion(added), 2);
        memberIds.push(removed, added);
      } else {
        assert.equal(await memberCount(), sizeBefore - 1);
        assert.equal(await h.userVersion(removed), 3, 'seeded at 1, bumped on joining, bumped on leaving');
      }
    });
  }

  it('control: the write-path capture sees a member-list read (full replace of members, which diffs against the stored set)', async () => {
    const before = await h.groupRow(groupId);
    const { result: res, statements } = await captureWrites(t.db, () =>
      h.patch('Groups', groupId, [{ op: 'replace', path: 'members', value: memberIds.map((value) => ({ value })) }], { excludedAttributes: 'members' }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], `W/"${before.version}"`, 'the same set: no change');
    const listReads = statements.filter((s) => /\bFROM group_members\b/i.test(s.sql) && !/member_id\s*(=|IN\b)/i.test(s.sql));
    assert.deepEqual(listReads.map((s) => s.rows), [memberIds.length]);
  });

  it('control: the measurement sees a full member read (GET with members)', async (ctx) => {
    const pgBefore = t.dialect === 'postgres' ? await memberTuplesRead() : 0;
    const reads = await t.captureReads(() => t.req('get', `${BASE}/Groups/${groupId}`));
    assert.equal(reads.result.status, 200);
    assert.equal(reads.result.body.members.length, memberIds.length);
    assert.equal(reads.statements.filter((s) => /group_members/i.test(s)).length, 1);
    if (t.dialect === 'postgres') {
      const read = (await memberTuplesRead()) - pgBefore;
      ctx.diagnostic(`pg_stat: group_members rows read by a full GET: ${read}`);
      assert.ok(read >= memberIds.length, `group_members rows read by a full GET: ${read}`);
    }
  });
});
