import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScimException } from '../errors/scim.exception.js';
import { stringifyFilter } from '../filter/filter.stringify.js';
import { DEFAULT_INPUT_LIMITS } from '../resource/input-limits.js';
import { validateResource } from '../resource/resource-validator.js';
import type { ScimObject } from '../resource/scim-resource.js';
import type { ResourceTypeName } from '../schema/schema-registry.js';
import { SCHEMA_USER } from '../scim.constants.js';
import { applyPatch } from './apply-patch.js';
import { ENTERPRISE, readPatchFixture, registry } from './patch-test.helpers.js';
import type { MemberDelta, PatchResult } from './patch.types.js';

type Expectation =
  | { readonly target: true }
  | { readonly resource: ScimObject }
  | { readonly error: string }
  | { readonly members: Omit<MemberDelta, 'removeWhere'> & { readonly removeWhere: string[] } };

interface ScimmyCase {
  readonly section: string;
  readonly index: number;
  readonly source: ScimObject;
  readonly target: ScimObject;
  readonly ops: unknown[];
  readonly type: ResourceTypeName;
  readonly stored?: ScimObject;
  readonly expect: { readonly lenient: Expectation; readonly strict: Expectation };
  readonly note?: string;
}

function run(type: ResourceTypeName, resource: ScimObject, ops: unknown, lenient: boolean): PatchResult {
  return applyPatch(registry, type, resource, ops, { lenient, limits: DEFAULT_INPUT_LIMITS });
}

function check(c: ScimmyCase, lenient: boolean): void {
  const expected = lenient ? c.expect.lenient : c.expect.strict;
  const stored = c.stored ?? { schemas: [SCHEMA_USER], ...c.source };
  const attempt = (): PatchResult => run(c.type, stored, c.ops, lenient);
  if ('error' in expected) {
    assert.throws(attempt, (e: unknown) => e instanceof ScimException && e.scimType === expected.error);
    return;
  }
  const result = attempt();
  if ('members' in expected) {
    assert.deepEqual(result.resource, stored);
    assert.deepEqual(
      { ...result.members, removeWhere: result.members?.removeWhere.map((f) => stringifyFilter(f)) },
      expected.members,
    );
    return;
  }
  const document = 'target' in expected ? c.target : expected.resource;
  assert.deepEqual(result.resource, { schemas: [SCHEMA_USER], ...document });
}

describe('SCIMMY PatchOp vectors (test/fixtures/patch/scimmy-patchop.json)', () => {
  const { cases } = readPatchFixture<{ cases: ScimmyCase[] }>('scimmy-patchop.json');
  for (const c of cases) {
    for (const lenient of [true, false]) {
      const mode = lenient ? 'lenient' : 'strict';
      it(`${c.section}[${c.index}] ${mode}: ${JSON.stringify(c.ops).slice(0, 90)}`, () => check(c, lenient));
    }
  }
});

interface PatchOpMessage {
  readonly schemas: string[];
  readonly Operations: unknown[];
}

interface IdpExchange {
  readonly request: ScimObject;
  readonly response?: ScimObject;
}

/** The document the service would have stored for an IdP's create request. */
function storedFrom(type: ResourceTypeName, file: string): ScimObject {
  return validateResource(registry, type, readPatchFixture<IdpExchange>(file).request, {
    strict: false,
    limits: DEFAULT_INPUT_LIMITS,
  }).doc;
}

function operations(file: string): unknown[] {
  const message = readPatchFixture<PatchOpMessage | IdpExchange>(file);
  return 'Operations' in message ? message.Operations : (message.request['Operations'] as unknown[]);
}

describe('elimity patch/add vectors', () => {
  const babs: ScimObject = {
    schemas: [SCHEMA_USER],
    userName: 'bjensen',
    emails: [{ value: 'bjensen@example.com', type: 'work' }],
  };

  it('attributes.json: pathless add appends to emails and sets nickName (case-insensitive key)', () => {
    const { resource } = run('User', babs, operations('elimity/patch/add/attributes.json'), true);
    assert.deepEqual(resource, {
      ...babs,
      emails: [
        { value: 'bjensen@example.com', type: 'work' },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      nickName: 'Babs',
    });
    assert.deepEqual(run('User', babs, operations('elimity/patch/add/attributes.json'), false).resource, resource);
  });

  it('complex.json: dotted key, complex merge and sub-attribute path build one name (lenient)', () => {
    const { resource } = run('User', babs, operations('elimity/patch/add/complex.json'), true);
    assert.deepEqual(resource['name'], { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Barbara Jensen' });
    // Strict: the "name.givenName" key is not an attribute name of a resource representation.
    assert.throws(
      () => run('User', babs, operations('elimity/patch/add/complex.json'), false),
      (e: unknown) => e instanceof ScimException && e.scimType === 'invalidValue',
    );
  });

  it('member.json: add members → delta add; display and $ref are ignored', () => {
    const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Tour Guides' };
    for (const lenient of [true, false]) {
      const result = run('Group', group, operations('elimity/patch/add/member.json'), lenient);
      assert.deepEqual(result.members?.add, [{ value: '2819c223-7f76-453a-919d-413861904646' }]);
      assert.equal(result.changed, false);
    }
  });
});

describe('elimity IdP vectors', () => {
  it('azuread/update_user.json: the documented PATCH yields the documented attributes', () => {
    const stored = storedFrom('User', 'elimity/idp/azuread/create_user.json');
    const expected = readPatchFixture<IdpExchange>('elimity/idp/azuread/update_user.json').response ?? {};
    for (const lenient of [true, false]) {
      const { resource, changed } = run('User', stored, operations('elimity/idp/azuread/update_user.json'), lenient);
      assert.equal(changed, true);
      for (const key of ['userName', 'active', 'emails']) assert.deepEqual(resource[key], expected[key], key);
      assert.equal((resource['name'] as ScimObject)['familyName'], 'updatedFamilyName');
      // The stored document keeps no empty extension the create request only declared.
      assert.equal(resource[ENTERPRISE], undefined);
    }
  });

  it('azuread/update_group.json: displayName replaced; Add then Remove of one member nets a removal', () => {
    const stored = storedFrom('Group', 'elimity/idp/azuread/create_group.json');
    const ops = operations('elimity/idp/azuread/update_group.json');
    const lenient = run('Group', stored, ops, true);
    assert.equal(lenient.resource['displayName'], '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    assert.deepEqual(lenient.members, {
      add: [],
      removeIds: ['f648f8d5ea4e4cd38e9c'],
      removeAll: false,
      removeWhere: [],
    });
    // Strict reads "remove members" with a value as remove-all (RFC 7644 §3.5.2.2 gives remove no value).
    assert.equal(run('Group', stored, ops, false).members?.removeAll, true);
  });

  it('okta/update_user_patch.json: pathless replace deactivates', () => {
    const stored = storedFrom('User', 'elimity/idp/okta/create_user.json');
    for (const lenient of [true, false]) {
      const { resource } = run('User', stored, operations('elimity/idp/okta/update_user_patch.json'), lenient);
      assert.deepEqual(resource, { ...stored, active: false });
    }
  });

  it('okta/update_group_name.json: pathless replace with the readOnly id renames (lenient)', () => {
    const stored = storedFrom('Group', 'elimity/idp/okta/create_group.json');
    const { resource } = run('Group', stored, operations('elimity/idp/okta/update_group_name.json'), true);
    assert.deepEqual(resource, { ...stored, displayName: 'Test SCIMv2' });
    // Strict: id is readOnly and the stored document holds none to show it unchanged.
    assert.throws(
      () => run('Group', stored, operations('elimity/idp/okta/update_group_name.json'), false),
      (e: unknown) => e instanceof ScimException && e.scimType === 'mutability',
    );
  });

  it('okta/update_group_membership.json: remove, add, then replace → replaceAll', () => {
    const stored = storedFrom('Group', 'elimity/idp/okta/create_group.json');
    for (const lenient of [true, false]) {
      const { members } = run('Group', stored, operations('elimity/idp/okta/update_group_membership.json'), lenient);
      assert.deepEqual(members, {
        replaceAll: [
          { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173' },
          { value: '89bb1940-b905-4575-9e7f-6f887cfb368e' },
        ],
        add: [],
        removeIds: [],
        removeAll: false,
        removeWhere: [],
      });
    }
  });
});
