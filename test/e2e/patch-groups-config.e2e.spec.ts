import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { patchHelpers, sorted, UNKNOWN_ID, type Json } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { GROUP_SCHEMA, startTestApp, type TestApp } from '../setup/test-app.js';

/* PATCH /Groups/{id} under the settings that change its answers: UNKNOWN_MEMBERS=ignore and GROUP_PATCH_STATUS=204. */

describe('PATCH /Groups with UNKNOWN_MEMBERS=ignore', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { UNKNOWN_MEMBERS: 'ignore' } });
  });
  after(async () => {
    await t.close();
  });
  const h = patchHelpers(() => t);

  it('unknown ids are skipped and the known ones added', async () => {
    const a = (await h.createUser('ignore.a@example.com')).id as string;
    const b = (await h.createUser('ignore.b@example.com')).id as string;
    const group = await h.createGroup('Ignore Unknown', [a]);
    const res = await h.patch('Groups', group.id, [
      { op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }, { value: b }, { value: 'not-a-uuid' }] },
    ]);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(sorted(res.body.members.map((m: Json) => m.value)), sorted([a, b]));
    assert.deepEqual(await h.memberRows(group.id), sorted([a, b]));
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal(await h.userVersion(b), 2);
    // Only unknown ids: nothing to add, nothing changes.
    const none = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] }]);
    assert.equal(none.status, 200, none.text);
    assert.equal(none.headers['etag'], 'W/"2"');
    const replaced = await h.patch('Groups', group.id, [
      { op: 'replace', path: 'members', value: [{ value: b }, { value: UNKNOWN_ID }] },
    ]);
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
  const h = patchHelpers(() => t);

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

    const withAttributes = await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: b }] }], {
      attributes: 'displayName',
    });
    assert.equal(withAttributes.status, 200, withAttributes.text);
    assert.deepEqual(withAttributes.body, { schemas: [GROUP_SCHEMA], id: group.id, displayName: 'Status 204' });
    assert.equal(withAttributes.headers['etag'], 'W/"3"');

    const withExcluded = await h.patch(
      'Groups',
      group.id,
      [{ op: 'replace', path: 'displayName', value: 'Status 204 Renamed' }],
      { excludedAttributes: 'members' },
    );
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
