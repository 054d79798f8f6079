import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SCHEMA_USER } from '../scim.constants.js';
import {
  assertPatchError,
  ENTERPRISE,
  enterpriseUser,
  group,
  patch,
  patched,
  TEST_EXTENSION,
  testRegistry,
  testUser,
  user,
} from './patch-test.helpers.js';

const test = { registry: testRegistry };

describe('RFC 7644 §3.5.2 PATCH: general rules', () => {
  it('applies operations in order, each to the result of the previous one', () => {
    const result = patched(user(), [
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'replace', path: 'nickName', value: 'Barbara' },
      { op: 'add', path: 'title', value: 'Tour Guide' },
      { op: 'remove', path: 'title' },
    ]);
    assert.deepEqual(result, user({ nickName: 'Barbara' }));
  });

  it('is atomic: when the second operation fails nothing is returned and the input is untouched', () => {
    const input = user({ emails: [{ value: 'a@x.org', type: 'work' }], name: { givenName: 'Barbara' } });
    const snapshot = structuredClone(input);
    assertPatchError(
      input,
      [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'b@x.org' },
        { op: 'remove', path: 'userName' },
      ],
      'mutability',
      /^Operations\[1\]: Attribute 'userName' is required/,
    );
    assert.deepEqual(input, snapshot);
  });

  it('never modifies its input, even on success', () => {
    const input = enterpriseUser({ department: 'Tour' }, { emails: [{ value: 'a@x.org', primary: true }] });
    const snapshot = structuredClone(input);
    patch(input, [
      { op: 'add', path: 'emails', value: [{ value: 'b@x.org', primary: true }] },
      { op: 'remove', path: `${ENTERPRISE}:department` },
    ]);
    assert.deepEqual(input, snapshot);
  });

  it('reports changed=false when the result equals the input (meta.lastModified SHALL NOT change)', () => {
    const input = user({ nickName: 'Babs', emails: [{ value: 'a@x.org', type: 'work' }] });
    const result = patch(input, [
      { op: 'replace', path: 'nickName', value: 'Babs' },
      { op: 'add', path: 'emails', value: [{ value: 'a@x.org', type: 'work' }] },
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'emails[type eq "home"]' },
    ]);
    assert.equal(result.changed, false);
    assert.equal(patch(input, [{ op: 'replace', path: 'nickName', value: 'B' }]).changed, true);
  });

  it('sets primary=false on the other values when one is made primary', () => {
    const input = user({
      emails: [
        { value: 'a@x.org', type: 'work', primary: true },
        { value: 'b@x.org', type: 'home' },
      ],
    });
    assert.deepEqual(
      patched(input, [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }])['emails'],
      [
        { value: 'a@x.org', type: 'work', primary: false },
        { value: 'b@x.org', type: 'home', primary: true },
      ],
    );
    assert.deepEqual(
      patched(input, [{ op: 'add', path: 'emails', value: [{ value: 'c@x.org', primary: true }] }])['emails'],
      [
        { value: 'a@x.org', type: 'work', primary: false },
        { value: 'b@x.org', type: 'home' },
        { value: 'c@x.org', primary: true },
      ],
    );
  });

  it('rejects a value with two primaries and a filter making two values primary (invalidValue)', () => {
    const input = user({
      emails: [
        { value: 'a@x.org', type: 'work' },
        { value: 'b@x.org', type: 'work' },
      ],
    });
    assertPatchError(
      input,
      [
        {
          op: 'add',
          path: 'emails',
          value: [
            { value: 'c', primary: true },
            { value: 'd', primary: true },
          ],
        },
      ],
      'invalidValue',
      /primary/,
    );
    assertPatchError(
      input,
      [{ op: 'replace', path: 'emails[type eq "work"].primary', value: true }],
      'invalidValue',
      /primary/,
    );
  });

  describe('mutability (RFC 7643 §7)', () => {
    for (const path of [
      'id',
      'meta',
      'meta.lastModified',
      'groups',
      'groups[value eq "g1"]',
      `${ENTERPRISE}:manager.displayName`,
    ]) {
      for (const op of ['add', 'replace', 'remove']) {
        it(`${op} ${path} → mutability (readOnly)`, () => {
          assertPatchError(user(), [{ op, path, value: op === 'remove' ? undefined : 'x' }], 'mutability', /readOnly/);
        });
      }
    }

    it('members[…].display of a Group → mutability', () => {
      assertPatchError(group(), [{ op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }], 'mutability');
    });

    it('an immutable attribute may be added while unassigned', () => {
      assert.deepEqual(
        patched(testUser({}), [{ op: 'add', path: `${TEST_EXTENSION}:badge`, value: 'B-1' }], test)[TEST_EXTENSION],
        { badge: 'B-1' },
      );
    });

    it('an immutable attribute already set cannot be replaced or removed, but may be sent unchanged', () => {
      const input = testUser({ badge: 'B-1', contract: { number: 'C-1' } });
      assertPatchError(
        input,
        [{ op: 'replace', path: `${TEST_EXTENSION}:badge`, value: 'B-2' }],
        'mutability',
        /immutable/,
        test,
      );
      assertPatchError(input, [{ op: 'remove', path: `${TEST_EXTENSION}:badge` }], 'mutability', /immutable/, test);
      assertPatchError(
        input,
        [{ op: 'add', path: `${TEST_EXTENSION}:contract.number`, value: 'C-2' }],
        'mutability',
        /immutable/,
        test,
      );
      assertPatchError(
        input,
        [{ op: 'replace', path: `${TEST_EXTENSION}:contract`, value: { number: 'C-2' } }],
        'mutability',
        /immutable/,
        test,
      );
      assert.equal(
        patch(input, [{ op: 'replace', path: `${TEST_EXTENSION}:badge`, value: 'B-1' }], test).changed,
        false,
      );
      assert.deepEqual(
        patched(input, [{ op: 'add', path: `${TEST_EXTENSION}:contract`, value: { kind: 'fixed' } }], test)[
          TEST_EXTENSION
        ],
        { badge: 'B-1', contract: { number: 'C-1', kind: 'fixed' } },
      );
    });

    it('an immutable sub-attribute of a multi-valued value cannot change', () => {
      const input = testUser({ certificates: [{ value: 'c1', serial: 'S1' }] });
      const path = `${TEST_EXTENSION}:certificates[value eq "c1"].serial`;
      assertPatchError(input, [{ op: 'replace', path, value: 'S2' }], 'mutability', /immutable/, test);
      // Removing the whole value is allowed: the attribute itself is readWrite.
      assert.deepEqual(
        patched(input, [{ op: 'remove', path: `${TEST_EXTENSION}:certificates[value eq "c1"]` }], test)['schemas'],
        [SCHEMA_USER],
      );
    });
  });

  describe('extension schemas (§3.5.2: the stored "schemas" is assumed; an extension attribute implies its URN)', () => {
    it('adding an extension attribute adds the extension URN to schemas', () => {
      const result = patched(user(), [{ op: 'add', path: `${ENTERPRISE}:department`, value: 'Tour' }]);
      assert.deepEqual(result['schemas'], [SCHEMA_USER, ENTERPRISE]);
      assert.deepEqual(result[ENTERPRISE], { department: 'Tour' });
    });

    it('removing the last extension attribute removes the extension object and URN', () => {
      const result = patched(enterpriseUser({ department: 'Tour', manager: { value: 'm1' } }), [
        { op: 'remove', path: `${ENTERPRISE}:department` },
        { op: 'remove', path: `${ENTERPRISE}:manager.value` },
      ]);
      assert.deepEqual(result, user());
    });

    it('the whole extension is a path: add merges, remove drops it', () => {
      const input = enterpriseUser({ department: 'Tour' });
      assert.deepEqual(patched(input, [{ op: 'add', path: ENTERPRISE, value: { costCenter: '42' } }])[ENTERPRISE], {
        department: 'Tour',
        costCenter: '42',
      });
      assert.deepEqual(patched(input, [{ op: 'remove', path: ENTERPRISE }]), user());
      assert.deepEqual(patched(input, [{ op: 'replace', path: ENTERPRISE, value: null }]), user());
    });

    it('an add of nothing to an extension leaves no empty extension behind', () => {
      const result = patch(user(), [{ op: 'add', path: `${ENTERPRISE}:department`, value: null }]);
      assert.equal(result.changed, false);
      assert.deepEqual(result.resource, user());
    });

    it('the core schema URN cannot be removed', () => {
      assertPatchError(user(), [{ op: 'remove', path: SCHEMA_USER }], 'invalidPath', /whole resource/);
    });
  });

  it('an unknown attribute path fails with invalidPath naming it', () => {
    assertPatchError(
      user(),
      [{ op: 'replace', path: 'nickname2', value: 'x' }],
      'invalidPath',
      /unknown attribute "nickname2"/,
    );
  });

  it('a bad filter in a path fails with invalidFilter', () => {
    assertPatchError(user(), [{ op: 'replace', path: 'emails[type eq]', value: 'x' }], 'invalidFilter');
  });

  it('rejects a value of the wrong type with invalidValue', () => {
    assertPatchError(user(), [{ op: 'replace', path: 'nickName', value: 42 }], 'invalidValue', /nickName/);
    assertPatchError(user(), [{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue', /active/);
    assertPatchError(user(), [{ op: 'replace', path: 'name', value: ['x'] }], 'invalidValue', /name/);
  });

  it('a writeOnly attribute may be set (the service moves it out) but not removed', () => {
    assert.equal(patched(user(), [{ op: 'replace', path: 'password', value: 's3cret' }])['password'], 's3cret');
    assertPatchError(user(), [{ op: 'remove', path: 'password' }], 'mutability', /writeOnly/);
  });
});
