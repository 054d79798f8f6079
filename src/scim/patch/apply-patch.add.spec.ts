import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertPatchError, ENTERPRISE, enterpriseUser, group, patch, patched, user } from './patch-test.helpers.js';

describe('RFC 7644 §3.5.2.1 add', () => {
  it('MUST contain a value (invalidSyntax otherwise)', () => {
    assertPatchError(user(), [{ op: 'add', path: 'nickName' }], 'invalidSyntax', /needs a "value"/);
  });

  it('without path: the value is an object of attributes to add to the resource', () => {
    const input = user({ emails: [{ value: 'a@x.org', type: 'work' }] });
    const result = patched(input, [
      {
        op: 'add',
        value: { nickName: 'Babs', emails: [{ value: 'b@x.org', type: 'home' }], name: { givenName: 'Barbara' } },
      },
    ]);
    assert.deepEqual(
      result,
      user({
        emails: [
          { value: 'a@x.org', type: 'work' },
          { value: 'b@x.org', type: 'home' },
        ],
        nickName: 'Babs',
        name: { givenName: 'Barbara' },
      }),
    );
  });

  it('without path: a non-object value is invalidValue', () => {
    assertPatchError(user(), [{ op: 'add', value: 'Babs' }], 'invalidValue', /must be an object of attributes/);
    assertPatchError(user(), [{ op: 'add', value: [{ nickName: 'Babs' }] }], 'invalidValue');
  });

  it('without path: an extension URN key carries an object of the extension attributes (RFC 7643 §3.3)', () => {
    const result = patched(user(), [
      { op: 'add', value: { [ENTERPRISE]: { department: 'Tour', manager: { value: 'm1' } } } },
    ]);
    assert.deepEqual(result, enterpriseUser({ department: 'Tour', manager: { value: 'm1' } }));
  });

  it('a target that does not exist is created', () => {
    assert.deepEqual(
      patched(user(), [{ op: 'add', path: 'name.givenName', value: 'Barbara' }]),
      user({ name: { givenName: 'Barbara' } }),
    );
    assert.deepEqual(patched(user(), [{ op: 'add', path: 'emails', value: [{ value: 'a@x.org' }] }])['emails'], [
      { value: 'a@x.org' },
    ]);
  });

  it('a complex target takes sub-attributes, which are merged with the existing ones', () => {
    const input = user({ name: { givenName: 'Barbara', familyName: 'Jensen' } });
    assert.deepEqual(
      patched(input, [{ op: 'add', path: 'name', value: { middleName: 'Jane', familyName: 'Jensen-Smith' } }])['name'],
      {
        givenName: 'Barbara',
        familyName: 'Jensen-Smith',
        middleName: 'Jane',
      },
    );
  });

  it('a multi-valued target gets the new values appended', () => {
    const input = user({ emails: [{ value: 'a@x.org', type: 'work' }] });
    assert.deepEqual(
      patched(input, [
        { op: 'add', path: 'emails', value: [{ value: 'b@x.org', type: 'home' }, { value: 'c@x.org' }] },
      ])['emails'],
      [{ value: 'a@x.org', type: 'work' }, { value: 'b@x.org', type: 'home' }, { value: 'c@x.org' }],
    );
  });

  it('a single-valued target is replaced', () => {
    assert.equal(
      patched(user({ nickName: 'Babs' }), [{ op: 'add', path: 'nickName', value: 'Barb' }])['nickName'],
      'Barb',
    );
    assert.equal(patched(user(), [{ op: 'add', path: 'userName', value: 'bjensen2' }])['userName'], 'bjensen2');
  });

  it('a value already present changes nothing and succeeds (changed=false)', () => {
    const input = user({ emails: [{ value: 'a@x.org', type: 'work', primary: true }], nickName: 'Babs' });
    for (const op of [
      { op: 'add', path: 'emails', value: [{ value: 'A@X.org', type: 'work' }] },
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'add', value: { emails: [{ value: 'a@x.org' }] } },
    ]) {
      const result = patch(input, [op]);
      assert.equal(result.changed, false, JSON.stringify(op));
      assert.deepEqual(result.resource, input);
    }
  });

  it('a Group member already present is an idempotent add, left to the repository', () => {
    const result = patch(group(), [
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
    ]);
    assert.equal(result.changed, false);
    assert.deepEqual(result.members?.add, [{ value: 'u1' }]);
  });

  it('with a value filter: merges the sub-attributes into every matching value', () => {
    const input = user({ addresses: [{ type: 'work', locality: 'Tulsa' }, { type: 'home' }] });
    assert.deepEqual(
      patched(input, [{ op: 'add', path: 'addresses[type eq "work"]', value: { postalCode: '74101' } }])['addresses'],
      [{ type: 'work', locality: 'Tulsa', postalCode: '74101' }, { type: 'home' }],
    );
  });

  it('with a value filter and sub-attribute: sets it on every matching value', () => {
    const input = user({
      emails: [
        { value: 'a@x.org', type: 'work' },
        { value: 'b@x.org', type: 'home' },
      ],
    });
    assert.deepEqual(patched(input, [{ op: 'add', path: 'emails[type eq "work"].display', value: 'Work' }])['emails'], [
      { value: 'a@x.org', type: 'work', display: 'Work' },
      { value: 'b@x.org', type: 'home' },
    ]);
  });

  it('a sub-attribute path of a multi-valued attribute without filter applies to every value', () => {
    const input = user({ emails: [{ value: 'a@x.org' }, { value: 'b@x.org' }] });
    assert.deepEqual(patched(input, [{ op: 'add', path: 'emails.type', value: 'work' }])['emails'], [
      { value: 'a@x.org', type: 'work' },
      { value: 'b@x.org', type: 'work' },
    ]);
  });

  it('with a null value adds nothing', () => {
    assert.equal(patch(user(), [{ op: 'add', path: 'nickName', value: null }]).changed, false);
    assert.equal(patch(user(), [{ op: 'add', path: 'emails', value: [] }]).changed, false);
  });
});
