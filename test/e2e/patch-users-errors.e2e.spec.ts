import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { patchHelpers, PATCH_OP, UNKNOWN_ID } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ENTERPRISE, startTestApp, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

/* PATCH /Users/{id}: errors, atomicity, no-op PATCHes, response projection and envelope checks. */

describe('PATCH /Users/{id} (RFC 7644 §3.5.2)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  const h = patchHelpers(() => t);

  it('errors: remove without path → noTarget, remove userName / replace id → mutability, bad path → invalidPath, bad filter → invalidFilter; nothing changes', async () => {
    const user = await h.createUser('errors@example.com', {
      displayName: 'Unchanged',
      emails: [{ value: 'e@example.com', type: 'work' }],
    });
    expectScimError(await h.patch('Users', user.id, [{ op: 'remove' }]), 400, 'noTarget');
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'remove', value: { displayName: 'Unchanged' } }]),
      400,
      'noTarget',
    );
    expectScimError(await h.patch('Users', user.id, [{ op: 'remove', path: 'userName' }]), 400, 'mutability');
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'userName', value: null }]),
      400,
      'mutability',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'id', value: randomUUID() }]),
      400,
      'mutability',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'meta.created', value: '2000-01-01T00:00:00Z' }]),
      400,
      'mutability',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'noSuchAttribute', value: 'x' }]),
      400,
      'invalidPath',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'name..givenName', value: 'x' }]),
      400,
      'invalidPath',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'name.noSuchSub', value: 'x' }]),
      400,
      'invalidPath',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'emails[type eq].value', value: 'x' }]),
      400,
      'invalidFilter',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'remove', path: 'emails[type zz "work"]' }]),
      400,
      'invalidFilter',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'displayName', value: 42 }]),
      400,
      'invalidValue',
    );
    expectScimError(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'active', value: 'maybe' }]),
      400,
      'invalidValue',
    );
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
    const ok = await h.expectUserPatched(
      await h.patch('Users', user.id, [{ op: 'replace', path: 'userName', value: 'Wants.Rename@example.com' }]),
    );
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
      const res = await h.patch('Users', user.id, [
        { op: 'replace', path: 'displayName', value: 'Changed' },
        second,
        { op: 'remove', path: 'name' },
      ]);
      assert.equal(res.status, 400, `${JSON.stringify(second)}: ${res.text}`);
      assert.match(res.body.detail, /Operations\[1\]/, `the failing operation is named: ${res.body.detail}`);
      await h.expectUserUnchanged(user);
    }
  });

  it('a PATCH that changes nothing keeps the version and meta.lastModified', async () => {
    const user = await h.createUser('noop@example.com', {
      displayName: 'Same',
      emails: [{ value: 'same@example.com', type: 'work' }],
      [ENTERPRISE]: { department: 'D' },
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
    const res = await h.patch('Users', user.id, [{ op: 'replace', path: 'displayName', value: 'Q' }], {
      attributes: 'userName',
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { schemas: [USER_SCHEMA], id: user.id, userName: 'projected@example.com' });
    assert.equal(res.headers['etag'], 'W/"2"');
    const excluded = await h.patch('Users', user.id, [{ op: 'replace', path: 'displayName', value: 'R' }], {
      excludedAttributes: 'displayName,meta',
    });
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
});
