import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertPatchError, ENTERPRISE, enterpriseUser, group, patch, patched, user } from './patch-test.helpers.js';

const strict = { lenient: false };

describe('RFC 7644 §3.5.2.3 replace', () => {
  it('without path: the value is an object of attributes, each replaced', () => {
    const input = user({ nickName: 'Babs', emails: [{ value: 'a@x.org' }], title: 'Guide' });
    const result = patched(
      input,
      [{ op: 'replace', value: { nickName: 'Barb', emails: [{ value: 'b@x.org', type: 'work' }] } }],
      strict,
    );
    assert.deepEqual(result, user({ nickName: 'Barb', emails: [{ value: 'b@x.org', type: 'work' }], title: 'Guide' }));
  });

  it('a single-valued target is replaced', () => {
    assert.equal(
      patched(user({ title: 'Guide' }), [{ op: 'replace', path: 'title', value: 'Boss' }], strict)['title'],
      'Boss',
    );
    assert.equal(
      patched(user(), [{ op: 'replace', path: 'userName', value: 'bjensen2' }], strict)['userName'],
      'bjensen2',
    );
  });

  it('a multi-valued target without filter has all its values replaced', () => {
    const input = user({
      emails: [
        { value: 'a@x.org', type: 'work' },
        { value: 'b@x.org', type: 'home' },
      ],
    });
    assert.deepEqual(
      patched(input, [{ op: 'replace', path: 'emails', value: [{ value: 'c@x.org', type: 'other' }] }], strict)[
        'emails'
      ],
      [{ value: 'c@x.org', type: 'other' }],
    );
  });

  it('a target that does not exist is added', () => {
    assert.deepEqual(
      patched(user(), [{ op: 'replace', path: 'name.familyName', value: 'Jensen' }], strict),
      user({ name: { familyName: 'Jensen' } }),
    );
    assert.deepEqual(
      patched(user(), [{ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: 'm1' } }], strict),
      enterpriseUser({ manager: { value: 'm1' } }),
    );
  });

  it('a complex target: the given sub-attributes replace, the others stay', () => {
    const input = user({ name: { givenName: 'Barbara', familyName: 'Jensen', honorificPrefix: 'Ms.' } });
    assert.deepEqual(
      patched(input, [{ op: 'replace', path: 'name', value: { givenName: 'Babs', familyName: null } }], strict)['name'],
      {
        givenName: 'Babs',
        honorificPrefix: 'Ms.',
      },
    );
  });

  it('a value filter matching values: every matching value is replaced', () => {
    const input = user({
      emails: [
        { value: 'a@x.org', type: 'work', display: 'A' },
        { value: 'b@x.org', type: 'home' },
        { value: 'c@x.org', type: 'work' },
      ],
    });
    assert.deepEqual(
      patched(
        input,
        [{ op: 'replace', path: 'emails[type eq "work"]', value: { value: 'w@x.org', type: 'work' } }],
        strict,
      )['emails'],
      [
        { value: 'w@x.org', type: 'work' },
        { value: 'b@x.org', type: 'home' },
        { value: 'w@x.org', type: 'work' },
      ],
    );
  });

  it('a value filter and sub-attribute: that sub-attribute of every matching value is replaced', () => {
    const input = user({
      addresses: [
        { type: 'work', streetAddress: '1 Main St', locality: 'Tulsa' },
        { type: 'home', streetAddress: '2 Elm St' },
      ],
    });
    assert.deepEqual(
      patched(input, [{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '9 Oak Ave' }], strict)[
        'addresses'
      ],
      [
        { type: 'work', streetAddress: '9 Oak Ave', locality: 'Tulsa' },
        { type: 'home', streetAddress: '2 Elm St' },
      ],
    );
  });

  it('a value filter matching nothing fails with noTarget (strict)', () => {
    const input = user({ emails: [{ value: 'b@x.org', type: 'home' }] });
    assertPatchError(
      input,
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'w@x.org' }],
      'noTarget',
      /No value of 'emails' matches/,
      strict,
    );
    assertPatchError(
      input,
      [{ op: 'replace', path: 'emails[type eq "work"]', value: { value: 'w@x.org' } }],
      'noTarget',
      undefined,
      strict,
    );
    assertPatchError(
      user(),
      [{ op: 'add', path: 'emails[type eq "work"].value', value: 'w@x.org' }],
      'noTarget',
      undefined,
      strict,
    );
  });

  it('a value filter matching nothing fails with noTarget also in lenient mode when the filter is not an eq conjunction', () => {
    assertPatchError(user(), [{ op: 'replace', path: 'emails[type ne "home"].value', value: 'w@x.org' }], 'noTarget');
    assertPatchError(
      user(),
      [{ op: 'replace', path: 'emails[type eq "work" or type eq "other"].value', value: 'w@x.org' }],
      'noTarget',
    );
  });

  it('replace with null unassigns (RFC 7643 §2.5)', () => {
    assert.deepEqual(
      patched(user({ nickName: 'B' }), [{ op: 'replace', path: 'nickName', value: null }], strict),
      user(),
    );
    const input = user({
      emails: [
        { value: 'a@x.org', type: 'work' },
        { value: 'b@x.org', type: 'home' },
      ],
    });
    assert.deepEqual(
      patched(input, [{ op: 'replace', path: 'emails[type eq "work"]', value: null }], strict)['emails'],
      [{ value: 'b@x.org', type: 'home' }],
    );
    assert.deepEqual(patched(input, [{ op: 'replace', path: 'emails', value: [] }], strict), user());
  });

  it('Group members without filter: the whole member set is replaced (Okta)', () => {
    const result = patch(
      group(),
      [
        {
          op: 'replace',
          path: 'members',
          value: [
            { value: 'u1', display: 'Babs' },
            { value: 'g1', type: 'Group' },
          ],
        },
      ],
      strict,
    );
    assert.deepEqual(result.members, {
      replaceAll: [{ value: 'u1' }, { value: 'g1', type: 'Group' }],
      add: [],
      removeIds: [],
      removeAll: false,
      removeWhere: [],
    });
    assert.equal(result.changed, false);
  });

  it('pathless replace of a Group touches members only when the value names them', () => {
    const result = patch(group(), [{ op: 'replace', value: { displayName: 'Ops' } }], strict);
    assert.equal(result.members, undefined);
    assert.deepEqual(result.resource, group({ displayName: 'Ops' }));
    assert.deepEqual(patch(group(), [{ op: 'replace', value: { members: [] } }], strict).members?.replaceAll, []);
  });
});
