import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

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

const strict = { lenient: false };

describe('lenient IdP forms (beyond RFC 7644 §3.5.2) and their strict counterparts', () => {
  it('op names in any case (Entra sends "Replace"), in both modes', () => {
    for (const lenient of [true, false]) {
      const result = patched(
        user({ title: 'Guide' }),
        [
          { op: 'Add', path: 'nickName', value: 'Babs' },
          { op: 'REPLACE', path: 'displayName', value: 'Babs Jensen' },
          { op: 'Remove', path: 'title' },
        ],
        { lenient },
      );
      assert.deepEqual(result, user({ nickName: 'Babs', displayName: 'Babs Jensen' }));
    }
  });

  it('booleans sent as strings (Entra) are coerced by the schema type; strict rejects them', () => {
    assert.equal(patched(user({ active: true }), [{ op: 'Replace', path: 'active', value: 'False' }])['active'], false);
    assert.equal(patched(user(), [{ op: 'replace', value: { active: 'TRUE' } }])['active'], true);
    assertPatchError(
      user(),
      [{ op: 'replace', path: 'active', value: 'False' }],
      'invalidValue',
      /JSON boolean/,
      strict,
    );
  });

  it('numbers sent as strings are coerced; strict rejects them', () => {
    const path = `${TEST_EXTENSION}:seniority`;
    assert.deepEqual(
      patched(testUser({}), [{ op: 'add', path, value: '12' }], { registry: testRegistry })[TEST_EXTENSION],
      { seniority: 12 },
    );
    assertPatchError(testUser({}), [{ op: 'add', path, value: '12' }], 'invalidValue', /JSON number/, {
      registry: testRegistry,
      lenient: false,
    });
    assertPatchError(testUser({}), [{ op: 'add', path, value: '1.5' }], 'invalidValue', /integer/, {
      registry: testRegistry,
    });
  });

  it('pathless value with dotted and URN-qualified keys (Entra): each key is its own operation', () => {
    const input = enterpriseUser({ manager: { value: 'old' } }, { name: { familyName: 'Jensen' } });
    const result = patched(input, [
      {
        op: 'add',
        value: {
          'name.givenName': 'Barbara',
          [`${ENTERPRISE}:department`]: 'Tour',
          [`${ENTERPRISE}:manager.value`]: 'm1',
          'urn:ietf:params:scim:schemas:core:2.0:User:nickName': 'Babs',
          'emails[type eq "work"].value': 'babs@x.org',
        },
      },
    ]);
    assert.deepEqual(
      result,
      enterpriseUser(
        { manager: { value: 'm1' }, department: 'Tour' },
        {
          name: { familyName: 'Jensen', givenName: 'Barbara' },
          nickName: 'Babs',
          emails: [{ type: 'work', value: 'babs@x.org' }],
        },
      ),
    );
  });

  it('strict mode takes only attribute names and extension objects as pathless keys (invalidValue)', () => {
    for (const key of ['name.givenName', `${ENTERPRISE}:department`, 'emails[type eq "work"].value']) {
      assertPatchError(user(), [{ op: 'add', value: { [key]: 'x' } }], 'invalidValue', /not an attribute name/, strict);
    }
    assertPatchError(
      user(),
      [{ op: 'add', value: { [ENTERPRISE]: { 'manager.value': 'm1' } } }],
      'invalidValue',
      undefined,
      strict,
    );
  });

  it('unknown pathless keys fail with invalidPath in both modes (never a silent 2xx)', () => {
    for (const lenient of [true, false]) {
      assertPatchError(
        user(),
        [{ op: 'add', value: { nickname2: 'x' } }],
        'invalidPath',
        /unknown attribute "nickname2"/,
        { lenient },
      );
    }
  });

  it('add/replace with an eq-conjunction valuePath matching nothing creates the value (Entra)', () => {
    const result = patched(user(), [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'babs@x.org' }]);
    assert.deepEqual(result['emails'], [{ type: 'work', value: 'babs@x.org' }]);
    const withHome = user({ emails: [{ value: 'h@x.org', type: 'home', primary: true }] });
    assert.deepEqual(
      patched(withHome, [
        { op: 'Add', path: 'emails[type eq "work" and primary eq true]', value: { value: 'w@x.org' } },
      ])['emails'],
      [
        { value: 'h@x.org', type: 'home', primary: false },
        { type: 'work', primary: true, value: 'w@x.org' },
      ],
    );
    assertPatchError(
      user(),
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'x' }],
      'noTarget',
      undefined,
      strict,
    );
  });

  it('manager as a bare string (Entra) sets manager.value; "" clears it; strict rejects both', () => {
    const path = `${ENTERPRISE}:manager`;
    assert.deepEqual(patched(user(), [{ op: 'Add', path, value: 'm1' }]), enterpriseUser({ manager: { value: 'm1' } }));
    assert.deepEqual(
      patched(enterpriseUser({ manager: { value: 'm1' } }), [{ op: 'Replace', path, value: '' }]),
      user(),
    );
    assert.deepEqual(
      patched(user(), [{ op: 'add', value: { [path]: 'm1' } }]),
      enterpriseUser({ manager: { value: 'm1' } }),
    );
    assertPatchError(user(), [{ op: 'add', path, value: 'm1' }], 'invalidValue', /must be an object/, strict);
  });

  it('remove members with a value list (Entra) removes only the listed members; strict removes all', () => {
    const op = { op: 'Remove', path: 'members', value: [{ value: 'u1' }, { $ref: null, value: 'u2' }] };
    assert.deepEqual(patch(group(), [op]).members, {
      add: [],
      removeIds: ['u1', 'u2'],
      removeAll: false,
      removeWhere: [],
    });
    assert.deepEqual(patch(group(), [op], strict).members, {
      add: [],
      removeIds: [],
      removeAll: true,
      removeWhere: [],
    });
  });

  it('remove of any multi-valued attribute with a value list removes the matching values', () => {
    const input = user({
      emails: [
        { value: 'a@x.org', type: 'work' },
        { value: 'b@x.org', type: 'home' },
      ],
    });
    assert.deepEqual(patched(input, [{ op: 'remove', path: 'emails', value: { type: 'home' } }])['emails'], [
      { value: 'a@x.org', type: 'work' },
    ]);
    assert.deepEqual(patched(input, [{ op: 'remove', path: 'emails', value: [{ value: 'A@X.org' }] }])['emails'], [
      { value: 'b@x.org', type: 'home' },
    ]);
    // A template naming no known sub-attribute selects nothing rather than everything.
    assert.equal(patch(input, [{ op: 'remove', path: 'emails', value: [{ nope: 1 }] }]).changed, false);
    assert.deepEqual(patched(input, [{ op: 'remove', path: 'emails', value: { type: 'home' } }], strict), user());
  });

  it('Okta: replace of members is a full-set replacement', () => {
    const result = patch(group(), [{ op: 'replace', path: 'members', value: [{ value: 'u1', display: 'Babs' }] }]);
    assert.deepEqual(result.members?.replaceAll, [{ value: 'u1' }]);
  });

  it('a single object where an array is expected is one value; strict rejects it', () => {
    assert.deepEqual(patched(user(), [{ op: 'add', path: 'emails', value: { value: 'a@x.org' } }])['emails'], [
      { value: 'a@x.org' },
    ]);
    assert.deepEqual(patch(group(), [{ op: 'add', path: 'members', value: { value: 'u1' } }]).members?.add, [
      { value: 'u1' },
    ]);
    assertPatchError(
      user(),
      [{ op: 'add', path: 'emails', value: { value: 'a@x.org' } }],
      'invalidValue',
      /must be an array/,
      strict,
    );
    assertPatchError(
      group(),
      [{ op: 'add', path: 'members', value: { value: 'u1' } }],
      'invalidValue',
      /must be an array/,
      strict,
    );
  });

  it('a one-element array where a valuePath expects one object is that object; strict rejects it', () => {
    const input = user({ emails: [{ value: 'a@x.org', type: 'work' }] });
    const op = { op: 'replace', path: 'emails[type eq "work"]', value: [{ value: 'b@x.org', type: 'work' }] };
    assert.deepEqual(patched(input, [op])['emails'], [{ value: 'b@x.org', type: 'work' }]);
    assertPatchError(input, [op], 'invalidValue', /one object/, strict);
  });

  it('Okta: readOnly attributes in a pathless value are ignored; strict accepts them only unchanged', () => {
    const op = {
      op: 'replace',
      value: { id: 'abf4dd94', displayName: 'Test SCIMv2', meta: { resourceType: 'Group' } },
    };
    assert.deepEqual(patched(group(), [op]), group({ displayName: 'Test SCIMv2' }));
    assertPatchError(group(), [op], 'mutability', /'id' is readOnly/, strict);
    assert.deepEqual(
      patched(group({ id: 'abf4dd94' }), [{ op: 'replace', value: { id: 'abf4dd94', displayName: 'X' } }], strict),
      group({ id: 'abf4dd94', displayName: 'X' }),
    );
  });

  it('unknown sub-attributes inside a value are ignored; strict rejects them', () => {
    assert.deepEqual(patched(user(), [{ op: 'add', path: 'name', value: { givenName: 'B', nick: 'x' } }])['name'], {
      givenName: 'B',
    });
    assertPatchError(
      user(),
      [{ op: 'add', path: 'name', value: { givenName: 'B', nick: 'x' } }],
      'invalidValue',
      /no sub-attribute 'nick'/,
      strict,
    );
  });

  it('a "schemas" key in a pathless value is skipped: schemas follow the extension data', () => {
    assert.deepEqual(
      patched(
        user(),
        [{ op: 'replace', value: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], nickName: 'B' } }],
        strict,
      ),
      user({ nickName: 'B' }),
    );
  });
});
