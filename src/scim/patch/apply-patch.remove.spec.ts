import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertPatchError, ENTERPRISE, enterpriseUser, group, patch, patched, user } from './patch-test.helpers.js';

const emails = [
  { value: 'a@example.com', type: 'work', primary: true },
  { value: 'b@home.org', type: 'home' },
  { value: 'c@example.com', type: 'other' },
];

describe('RFC 7644 §3.5.2.2 remove', () => {
  it('without path fails with noTarget', () => {
    assertPatchError(user({ nickName: 'Babs' }), [{ op: 'remove' }], 'noTarget');
    assertPatchError(user({ nickName: 'Babs' }), [{ op: 'remove', value: { nickName: 'Babs' } }], 'noTarget');
  });

  it('a single-valued target is removed (unassigned)', () => {
    assert.deepEqual(patched(user({ nickName: 'Babs' }), [{ op: 'remove', path: 'nickName' }]), user());
    assert.deepEqual(
      patched(user({ name: { givenName: 'B', familyName: 'J' } }), [{ op: 'remove', path: 'name' }]),
      user(),
    );
  });

  it('a sub-attribute is removed; a complex attribute left empty becomes unassigned', () => {
    const input = user({ name: { givenName: 'B', familyName: 'J' } });
    assert.deepEqual(patched(input, [{ op: 'remove', path: 'name.givenName' }]), user({ name: { familyName: 'J' } }));
    assert.deepEqual(
      patched(input, [
        { op: 'remove', path: 'name.givenName' },
        { op: 'remove', path: 'name.familyName' },
      ]),
      user(),
    );
  });

  it('a multi-valued target without filter loses all its values', () => {
    assert.deepEqual(patched(user({ emails }), [{ op: 'remove', path: 'emails' }]), user());
  });

  it('with a value filter only the matching values are removed', () => {
    assert.deepEqual(patched(user({ emails }), [{ op: 'remove', path: 'emails[value ew "example.com"]' }])['emails'], [
      emails[1],
    ]);
    assert.deepEqual(
      patched(user({ emails }), [{ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }])[
        'emails'
      ],
      [emails[1], emails[2]],
    );
  });

  it('with a value filter matching every value the attribute becomes unassigned', () => {
    assert.deepEqual(patched(user({ emails }), [{ op: 'remove', path: 'emails[type pr]' }]), user());
  });

  it('with a value filter matching nothing: no change, success (idempotent)', () => {
    const result = patch(user({ emails }), [{ op: 'remove', path: 'emails[type eq "pager"]' }], { lenient: false });
    assert.equal(result.changed, false);
  });

  it('complex multi-valued with filter and sub-attribute: that sub-attribute of the matching values goes', () => {
    const input = user({
      addresses: [
        { type: 'work', streetAddress: '1 Main St', locality: 'Tulsa' },
        { type: 'home', streetAddress: '2 Elm St' },
      ],
    });
    assert.deepEqual(patched(input, [{ op: 'remove', path: 'addresses[type eq "work"].streetAddress' }])['addresses'], [
      { type: 'work', locality: 'Tulsa' },
      { type: 'home', streetAddress: '2 Elm St' },
    ]);
  });

  it('a value left without sub-attributes is dropped', () => {
    const input = user({ emails: [{ value: 'a@x.org' }, { value: 'b@x.org', type: 'home' }] });
    assert.deepEqual(
      patched(input, [
        { op: 'remove', path: 'emails[type pr].type' },
        { op: 'remove', path: 'emails.value' },
      ]),
      user(),
    );
  });

  it('a required attribute cannot be removed (mutability)', () => {
    assertPatchError(user(), [{ op: 'remove', path: 'userName' }], 'mutability', /required/);
    assertPatchError(group(), [{ op: 'remove', path: 'displayName' }], 'mutability', /required/);
    assertPatchError(user(), [{ op: 'replace', path: 'userName', value: null }], 'mutability', /required/);
  });

  it('a readOnly attribute cannot be removed (mutability)', () => {
    assertPatchError(user(), [{ op: 'remove', path: 'meta' }], 'mutability', /readOnly/);
    assertPatchError(user(), [{ op: 'remove', path: 'groups' }], 'mutability', /readOnly/);
  });

  it('an absent attribute: no change, success', () => {
    assert.equal(
      patch(user(), [
        { op: 'remove', path: 'nickName' },
        { op: 'remove', path: 'name.givenName' },
      ]).changed,
      false,
    );
  });

  it('an extension attribute; the last one takes the extension URN along', () => {
    const input = enterpriseUser({ department: 'Tour', costCenter: '42' });
    assert.deepEqual(
      patched(input, [{ op: 'remove', path: `${ENTERPRISE}:costCenter` }]),
      enterpriseUser({ department: 'Tour' }),
    );
    assert.deepEqual(
      patched(input, [
        { op: 'remove', path: `${ENTERPRISE}:costCenter` },
        { op: 'remove', path: `${ENTERPRISE}:department` },
      ]),
      user(),
    );
  });

  it('Group members: path without filter removes all, with a value filter removes those ids', () => {
    assert.deepEqual(patch(group(), [{ op: 'remove', path: 'members' }], { lenient: false }).members, {
      add: [],
      removeIds: [],
      removeAll: true,
      removeWhere: [],
    });
    assert.deepEqual(
      patch(group(), [{ op: 'remove', path: 'members[value eq "2819c223-7f76-453a-919d-413861904646"]' }]).members
        ?.removeIds,
      ['2819c223-7f76-453a-919d-413861904646'],
    );
  });
});
