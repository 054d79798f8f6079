import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ScimException } from '../errors/scim.exception.js';
import type { ScimType } from '../errors/scim-type.js';
import { DEFAULT_INPUT_LIMITS } from '../resource/input-limits.js';
import type { ScimObject } from '../resource/scim-resource.js';
import { attribute, type SchemaDefinition } from '../schema/attribute-definition.js';
import { ENTERPRISE_USER_SCHEMA } from '../schema/enterprise-user.schema.js';
import { GROUP_SCHEMA } from '../schema/group.schema.js';
import {
  GROUP_RESOURCE_TYPE,
  SchemaRegistry,
  USER_RESOURCE_TYPE,
  type ResourceTypeName,
} from '../schema/schema-registry.js';
import { USER_SCHEMA } from '../schema/user.schema.js';
import { SCHEMA_ENTERPRISE_USER, SCHEMA_GROUP, SCHEMA_USER } from '../scim.constants.js';
import { applyPatch } from './apply-patch.js';
import type { PatchOptions, PatchResult } from './patch.types.js';

/** Shared by the PATCH specs; not a spec itself. */
export const registry = new SchemaRegistry();
export const ENTERPRISE = SCHEMA_ENTERPRISE_USER;

/**
 * A test-only extension with what the standard schemas lack: integer and dateTime types, an
 * immutable attribute, an immutable sub-attribute and a required attribute.
 */
export const TEST_EXTENSION = 'urn:example:params:scim:schemas:extension:test:2.0:User';

const TEST_SCHEMA: SchemaDefinition = {
  id: TEST_EXTENSION,
  name: 'Test',
  description: 'Test extension',
  attributes: [
    attribute('seniority', 'integer'),
    attribute('badge', 'string', { mutability: 'immutable' }),
    attribute('contract', 'complex', {
      subAttributes: [attribute('number', 'string', { mutability: 'immutable' }), attribute('kind', 'string')],
    }),
    attribute('certificates', 'complex', {
      multiValued: true,
      subAttributes: [
        attribute('value', 'string'),
        attribute('issued', 'dateTime'),
        attribute('level', 'integer'),
        attribute('serial', 'string', { mutability: 'immutable' }),
        attribute('primary', 'boolean'),
      ],
    }),
  ],
};

export const testRegistry = new SchemaRegistry(
  [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, TEST_SCHEMA],
  [
    {
      ...USER_RESOURCE_TYPE,
      schemaExtensions: [...USER_RESOURCE_TYPE.schemaExtensions, { schema: TEST_EXTENSION, required: false }],
    },
    GROUP_RESOURCE_TYPE,
  ],
);

export function testUser(extension: ScimObject): ScimObject {
  return { schemas: [SCHEMA_USER, TEST_EXTENSION], userName: 'bjensen', [TEST_EXTENSION]: extension };
}

export function user(extra: ScimObject = {}): ScimObject {
  return { schemas: [SCHEMA_USER], userName: 'bjensen', ...extra };
}

export function enterpriseUser(extension: ScimObject, extra: ScimObject = {}): ScimObject {
  return {
    schemas: [SCHEMA_USER, SCHEMA_ENTERPRISE_USER],
    userName: 'bjensen',
    ...extra,
    [SCHEMA_ENTERPRISE_USER]: extension,
  };
}

export function group(extra: ScimObject = {}): ScimObject {
  return { schemas: [SCHEMA_GROUP], displayName: 'Admins', ...extra };
}

export interface PatchCall {
  readonly lenient?: boolean;
  readonly limits?: PatchOptions['limits'];
  readonly type?: ResourceTypeName;
  readonly registry?: SchemaRegistry;
}

export function patch(resource: ScimObject, operations: unknown, call: PatchCall = {}): PatchResult {
  const isGroup = Array.isArray(resource['schemas']) && resource['schemas'].includes(SCHEMA_GROUP);
  const type = call.type ?? (isGroup ? 'Group' : 'User');
  return applyPatch(call.registry ?? registry, type, resource, operations, {
    lenient: call.lenient ?? true,
    limits: call.limits ?? DEFAULT_INPUT_LIMITS,
  });
}

/** The patched document of a lenient (default) or strict PATCH. */
export function patched(resource: ScimObject, operations: unknown, call: PatchCall = {}): ScimObject {
  return patch(resource, operations, call).resource;
}

export function assertScimError(fn: () => unknown, scimType: ScimType, detail?: RegExp): ScimException {
  let caught: unknown;
  assert.throws(fn, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof ScimException, `expected ScimException, got ${String(caught)}`);
  assert.equal(caught.scimType, scimType, `expected ${scimType}, got ${caught.scimType}: ${caught.detail}`);
  assert.equal(caught.status, 400);
  if (detail) assert.match(caught.detail, detail);
  return caught;
}

export function assertPatchError(
  resource: ScimObject,
  operations: unknown,
  scimType: ScimType,
  detail?: RegExp,
  call: PatchCall = {},
): ScimException {
  return assertScimError(() => patch(resource, operations, call), scimType, detail);
}

/** The fixtures live in the source tree; specs run from it or from a compiled copy below it. */
export function readPatchFixture<T>(relative: string): T {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'test', 'fixtures', 'patch'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`test/fixtures/patch not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return JSON.parse(readFileSync(join(dir, 'test', 'fixtures', 'patch', relative), 'utf8')) as T;
}
