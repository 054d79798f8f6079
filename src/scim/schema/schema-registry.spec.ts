import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SCHEMA_ENTERPRISE_USER, SCHEMA_GROUP, SCHEMA_USER } from '../scim.constants.js';
import { attribute, type AttributeDefinition, type SchemaDefinition } from './attribute-definition.js';
import { COMMON_ATTRIBUTES } from './common.attributes.js';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema.js';
import { GROUP_SCHEMA } from './group.schema.js';
import { SchemaRegistry, USER_RESOURCE_TYPE } from './schema-registry.js';
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from './server-schemas.js';
import { USER_SCHEMA } from './user.schema.js';

const registry = new SchemaRegistry();

/** Resolves and returns [schemaUri, attribute name, sub-attribute name, path], or undefined. */
function summary(...args: Parameters<SchemaRegistry['resolve']>) {
  const r = registry.resolve(...args);
  return r && [r.schemaUri, r.attribute.name, r.subAttribute?.name, r.path];
}

describe('SchemaRegistry.resolve', () => {
  it('matches attribute names case-insensitively and returns the canonical spelling', () => {
    assert.deepEqual(summary('User', { name: 'USERNAME' }), [SCHEMA_USER, 'userName', undefined, 'userName']);
    assert.deepEqual(summary('User', { name: 'Emails', subAttr: 'VALUE' }), [
      SCHEMA_USER,
      'emails',
      'value',
      'emails.value',
    ]);
    assert.deepEqual(summary('User', { name: 'name', subAttr: 'GIVENNAME' }), [
      SCHEMA_USER,
      'name',
      'givenName',
      'name.givenName',
    ]);
  });

  it('resolves a core attribute qualified with the base schema URN to the unqualified path', () => {
    assert.deepEqual(summary('User', { schemaUri: SCHEMA_USER, name: 'userName' }), [
      SCHEMA_USER,
      'userName',
      undefined,
      'userName',
    ]);
    assert.deepEqual(summary('User', { schemaUri: SCHEMA_USER.toUpperCase(), name: 'username' }), [
      SCHEMA_USER,
      'userName',
      undefined,
      'userName',
    ]);
  });

  it('resolves extension attributes only when qualified, with a URN-prefixed path', () => {
    assert.deepEqual(summary('User', { schemaUri: SCHEMA_ENTERPRISE_USER, name: 'manager', subAttr: 'value' }), [
      SCHEMA_ENTERPRISE_USER,
      'manager',
      'value',
      `${SCHEMA_ENTERPRISE_USER}:manager.value`,
    ]);
    assert.deepEqual(summary('User', { schemaUri: SCHEMA_ENTERPRISE_USER.toLowerCase(), name: 'EMPLOYEENUMBER' }), [
      SCHEMA_ENTERPRISE_USER,
      'employeeNumber',
      undefined,
      `${SCHEMA_ENTERPRISE_USER}:employeeNumber`,
    ]);
    assert.equal(registry.resolve('User', { name: 'employeeNumber' }), undefined);
    assert.equal(registry.resolve('User', { schemaUri: SCHEMA_ENTERPRISE_USER, name: 'userName' }), undefined);
  });

  for (const type of ['User', 'Group'] as const) {
    it(`resolves the common attributes for ${type} with schemaUri ''`, () => {
      assert.deepEqual(summary(type, { name: 'id' }), ['', 'id', undefined, 'id']);
      assert.deepEqual(summary(type, { name: 'EXTERNALID' }), ['', 'externalId', undefined, 'externalId']);
      assert.deepEqual(summary(type, { name: 'meta', subAttr: 'lastmodified' }), [
        '',
        'meta',
        'lastModified',
        'meta.lastModified',
      ]);
      const base = type === 'User' ? SCHEMA_USER : SCHEMA_GROUP;
      assert.deepEqual(summary(type, { schemaUri: base, name: 'id' }), ['', 'id', undefined, 'id']);
    });
  }

  it('returns undefined for unknown attributes and sub-attributes', () => {
    assert.equal(registry.resolve('User', { name: 'nope' }), undefined);
    assert.equal(registry.resolve('User', { name: 'emails', subAttr: 'nope' }), undefined);
    assert.equal(registry.resolve('User', { name: 'userName', subAttr: 'value' }), undefined);
    assert.equal(registry.resolve('User', { name: 'meta', subAttr: 'nope' }), undefined);
    assert.equal(registry.resolve('User', { schemaUri: 'urn:example:unknown', name: 'userName' }), undefined);
  });

  it('returns undefined for an attribute of another resource type', () => {
    assert.equal(registry.resolve('User', { name: 'members' }), undefined);
    assert.equal(registry.resolve('Group', { name: 'userName' }), undefined);
    assert.equal(registry.resolve('Group', { schemaUri: SCHEMA_USER, name: 'userName' }), undefined);
    assert.equal(registry.resolve('User', { schemaUri: SCHEMA_GROUP, name: 'displayName' }), undefined);
    assert.equal(
      registry.resolve('Group', { schemaUri: SCHEMA_ENTERPRISE_USER, name: 'manager', subAttr: 'value' }),
      undefined,
    );
  });

  it('resolves Group members sub-attributes', () => {
    assert.deepEqual(summary('Group', { name: 'MEMBERS', subAttr: '$REF' }), [
      SCHEMA_GROUP,
      'members',
      '$ref',
      'members.$ref',
    ]);
    assert.deepEqual(summary('Group', { name: 'members', subAttr: 'display' }), [
      SCHEMA_GROUP,
      'members',
      'display',
      'members.display',
    ]);
  });
});

describe('SchemaRegistry.splitUrn', () => {
  it('splits on the longest registered URN prefix', () => {
    assert.deepEqual(registry.splitUrn('User', `${SCHEMA_ENTERPRISE_USER}:manager.value`), {
      schemaUri: SCHEMA_ENTERPRISE_USER,
      rest: 'manager.value',
    });
    assert.deepEqual(registry.splitUrn('User', `${SCHEMA_USER}:name.givenName`), {
      schemaUri: SCHEMA_USER,
      rest: 'name.givenName',
    });
  });

  it('prefers an extension URN that extends the base URN over the base URN', () => {
    const base = 'urn:example:User';
    const ext = 'urn:example:User:ext';
    const custom = new SchemaRegistry(
      [
        { id: base, name: 'Base', description: '', attributes: [attribute('extra', 'string')] },
        { id: ext, name: 'Ext', description: '', attributes: [attribute('badge', 'string')] },
      ],
      [{ ...USER_RESOURCE_TYPE, schema: base, schemaExtensions: [{ schema: ext, required: false }] }],
    );
    assert.deepEqual(custom.splitUrn('User', `${ext}:badge`), { schemaUri: ext, rest: 'badge' });
    assert.deepEqual(custom.splitUrn('User', `${base}:extra`), { schemaUri: base, rest: 'extra' });
  });

  it('matches the URN case-insensitively, returns it canonical and keeps the rest as written', () => {
    assert.deepEqual(registry.splitUrn('User', `${SCHEMA_ENTERPRISE_USER.toLowerCase()}:Manager.Value`), {
      schemaUri: SCHEMA_ENTERPRISE_USER,
      rest: 'Manager.Value',
    });
  });

  it('returns an empty rest for a bare URN', () => {
    assert.deepEqual(registry.splitUrn('User', SCHEMA_ENTERPRISE_USER), {
      schemaUri: SCHEMA_ENTERPRISE_USER,
      rest: '',
    });
  });

  it('feeds resolve with fully qualified attribute references', () => {
    const qualified = (text: string) => {
      const split = registry.splitUrn('User', text);
      assert.ok(split, text);
      const [name, subAttr] = split.rest.split('.');
      return summary('User', { schemaUri: split.schemaUri, name: name ?? '', ...(subAttr ? { subAttr } : {}) });
    };
    assert.deepEqual(qualified('urn:ietf:params:scim:schemas:core:2.0:User:userName'), [
      SCHEMA_USER,
      'userName',
      undefined,
      'userName',
    ]);
    assert.deepEqual(qualified('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value'), [
      SCHEMA_ENTERPRISE_USER,
      'manager',
      'value',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
    ]);
    assert.deepEqual(qualified('urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified'), [
      '',
      'meta',
      'lastModified',
      'meta.lastModified',
    ]);
  });

  it('returns undefined when no URN of the resource type prefixes the text', () => {
    assert.equal(registry.splitUrn('User', 'userName'), undefined);
    assert.equal(registry.splitUrn('Group', `${SCHEMA_ENTERPRISE_USER}:manager`), undefined);
    assert.equal(registry.splitUrn('User', `${SCHEMA_USER}x:userName`), undefined);
  });
});

describe('SchemaRegistry resource types and schemas', () => {
  it('lists the base schema first, then extensions', () => {
    assert.deepEqual(registry.schemaUrisOf('User'), [SCHEMA_USER, SCHEMA_ENTERPRISE_USER]);
    assert.deepEqual(registry.schemaUrisOf('Group'), [SCHEMA_GROUP]);
  });

  it('finds schemas case-insensitively', () => {
    assert.equal(registry.getSchema(SCHEMA_USER.toUpperCase()), USER_SCHEMA);
    assert.equal(registry.findSchemaUri('User', SCHEMA_ENTERPRISE_USER.toLowerCase()), SCHEMA_ENTERPRISE_USER);
    assert.equal(registry.findSchemaUri('Group', SCHEMA_ENTERPRISE_USER), undefined);
  });
});

function duplicateNames(attributes: readonly AttributeDefinition[], where: string): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const a of attributes) {
    const lower = a.name.toLowerCase();
    if (seen.has(lower)) duplicates.push(`${where}.${a.name}`);
    seen.add(lower);
    if (a.subAttributes) duplicates.push(...duplicateNames(a.subAttributes, `${where}.${a.name}`));
  }
  return duplicates;
}

describe('schema definitions', () => {
  const schemas: readonly SchemaDefinition[] = [
    USER_SCHEMA,
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    SERVICE_PROVIDER_CONFIG_SCHEMA,
    RESOURCE_TYPE_SCHEMA,
    SCHEMA_SCHEMA,
  ];

  it('have unique lower-cased attribute and sub-attribute names', () => {
    for (const schema of schemas) assert.deepEqual(duplicateNames(schema.attributes, schema.name), []);
    assert.deepEqual(duplicateNames(COMMON_ATTRIBUTES, 'common'), []);
  });

  it('do not redefine the common attributes in a resource schema (RFC 7643 §3.1)', () => {
    const common = new Set(COMMON_ATTRIBUTES.map((a) => a.name.toLowerCase()));
    for (const schema of [USER_SCHEMA, GROUP_SCHEMA]) {
      assert.deepEqual(
        schema.attributes.filter((a) => common.has(a.name.toLowerCase())).map((a) => a.name),
        [],
      );
    }
  });

  it('publish every service provider schema attribute as readOnly', () => {
    const notReadOnly = (attributes: readonly AttributeDefinition[]): string[] =>
      attributes.flatMap((a) => [
        ...(a.mutability === 'readOnly' ? [] : [a.name]),
        ...notReadOnly(a.subAttributes ?? []),
      ]);
    for (const schema of [SERVICE_PROVIDER_CONFIG_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA]) {
      assert.deepEqual(notReadOnly(schema.attributes), []);
    }
  });

  it('defines the RFC 7643 §4.1 User attributes in §8.7.1 order', () => {
    assert.deepEqual(
      USER_SCHEMA.attributes.map((a) => a.name),
      [
        'userName',
        'name',
        'displayName',
        'nickName',
        'profileUrl',
        'title',
        'userType',
        'preferredLanguage',
        'locale',
        'timezone',
        'active',
        'password',
        'emails',
        'phoneNumbers',
        'ims',
        'photos',
        'addresses',
        'groups',
        'entitlements',
        'roles',
        'x509Certificates',
      ],
    );
  });
});
