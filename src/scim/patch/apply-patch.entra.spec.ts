import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attribute } from '../schema/attribute-definition.js';
import { ENTERPRISE_USER_SCHEMA } from '../schema/enterprise-user.schema.js';
import { GROUP_SCHEMA } from '../schema/group.schema.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types.js';
import { SchemaRegistry } from '../schema/schema-registry.js';
import { USER_SCHEMA } from '../schema/user.schema.js';
import {
  assertPatchError,
  ENTERPRISE,
  enterpriseUser,
  patched,
  TEST_EXTENSION,
  testRegistry,
  testUser,
  user,
} from './patch-test.helpers.js';

const strict = { lenient: false };
const OTHER = 'urn:example:params:scim:schemas:extension:other:2.0:User';
/** The enterprise extension and one more that also defines `department`. */
const twoDepartments = new SchemaRegistry(
  [
    USER_SCHEMA,
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    { id: OTHER, name: 'Other', description: '', attributes: [attribute('department', 'string')] },
  ],
  [
    {
      ...USER_RESOURCE_TYPE,
      schemaExtensions: [...USER_RESOURCE_TYPE.schemaExtensions, { schema: OTHER, required: false }],
    },
    GROUP_RESOURCE_TYPE,
  ],
);

describe("Entra's manager and other extension forms (lenient) and the RFC reading (strict)", () => {
  it('the documented one-element array, the object and the bare id at the bare path "manager"', () => {
    for (const value of [[{ $ref: null, value: 'm-1' }], { value: 'm-1' }, 'm-1', ['m-1']]) {
      assert.deepEqual(
        patched(user(), [{ op: 'Add', path: 'manager', value }]),
        enterpriseUser({ manager: { value: 'm-1' } }),
        JSON.stringify(value),
      );
    }
  });

  it('"", null (add or replace) and remove clear it, and the emptied extension goes', () => {
    const managed = enterpriseUser({ manager: { value: 'm-1' } });
    for (const op of [
      { op: 'Add', path: 'manager', value: '' },
      { op: 'Add', path: 'manager', value: null },
      { op: 'Replace', path: 'manager', value: null },
      { op: 'Remove', path: 'manager' },
    ]) {
      assert.deepEqual(patched(managed, [op]), user(), JSON.stringify(op));
    }
  });

  it('strict: manager only URN-qualified, as an object; replace with null still unassigns (RFC 7643 §2.5)', () => {
    assertPatchError(
      user(),
      [{ op: 'add', path: 'manager', value: { value: 'm-1' } }],
      'invalidPath',
      /manager/,
      strict,
    );
    for (const value of [[{ value: 'm-1' }], 'm-1', '']) {
      assertPatchError(
        user(),
        [{ op: 'add', path: `${ENTERPRISE}:manager`, value }],
        'invalidValue',
        undefined,
        strict,
      );
    }
    const managed = patched(user(), [{ op: 'add', path: `${ENTERPRISE}:manager`, value: { value: 'm-1' } }], strict);
    assert.deepEqual(managed, enterpriseUser({ manager: { value: 'm-1' } }));
    assert.deepEqual(patched(managed, [{ op: 'replace', path: `${ENTERPRISE}:manager`, value: null }], strict), user());
  });

  it('a bare name resolves to the one extension defining it; core and common names keep theirs; two is ambiguous', () => {
    assert.deepEqual(
      patched(testUser({}), [{ op: 'add', path: 'seniority', value: 3 }], { registry: testRegistry }),
      testUser({ seniority: 3 }),
    );
    assert.deepEqual(
      patched(user(), [{ op: 'add', value: { department: 'R&D' } }]),
      enterpriseUser({ department: 'R&D' }),
    );
    assert.deepEqual(patched(user(), [{ op: 'add', path: 'externalId', value: 'e' }]), user({ externalId: 'e' }));
    const error = assertPatchError(
      user(),
      [{ op: 'add', path: 'department', value: 'R&D' }],
      'invalidPath',
      undefined,
      { registry: twoDepartments },
    );
    assert.ok(error.detail.includes(ENTERPRISE) && error.detail.includes(OTHER), error.detail);
    assertPatchError(testUser({}), [{ op: 'add', path: 'seniority', value: 3 }], 'invalidPath', undefined, {
      registry: testRegistry,
      lenient: false,
    });
  });

  it("an extension value's own schemas key (scim2-models) is ignored leniently; another URN, or strict, is refused", () => {
    const value = (schemas: string[]) => ({ schemas, employeeNumber: '7' });
    assert.deepEqual(
      patched(user(), [{ op: 'add', path: ENTERPRISE, value: value([ENTERPRISE.toUpperCase()]) }]),
      enterpriseUser({ employeeNumber: '7' }),
    );
    assertPatchError(user(), [{ op: 'add', path: ENTERPRISE, value: value([TEST_EXTENSION]) }], 'invalidPath');
    assertPatchError(
      user(),
      [{ op: 'add', path: ENTERPRISE, value: value([ENTERPRISE, TEST_EXTENSION]) }],
      'invalidPath',
    );
    assertPatchError(
      user(),
      [{ op: 'add', path: ENTERPRISE, value: value([ENTERPRISE]) }],
      'invalidPath',
      undefined,
      strict,
    );
  });
});
