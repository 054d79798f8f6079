import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScimException } from '../errors/scim.exception.js';
import { attribute, type SchemaDefinition } from '../schema/attribute-definition.js';
import { SchemaRegistry, type ResourceTypeDefinition } from '../schema/schema-registry.js';
import { SCHEMA_GROUP } from '../scim.constants.js';
import { checkImmutable } from './check-immutable.js';
import type { ScimObject } from './scim-resource.js';

const BASE = 'urn:example:schemas:Device';
const EXT = 'urn:example:schemas:extension:Asset';

const deviceSchema: SchemaDefinition = {
  id: BASE,
  name: 'Device',
  description: '',
  attributes: [
    attribute('serial', 'string', { mutability: 'immutable' }),
    attribute('label', 'string'),
    attribute('spec', 'complex', {
      mutability: 'immutable',
      subAttributes: [attribute('cpu', 'string'), attribute('ram', 'integer')],
    }),
    attribute('tags', 'string', { multiValued: true, mutability: 'immutable' }),
  ],
};

const assetSchema: SchemaDefinition = {
  id: EXT,
  name: 'Asset',
  description: '',
  attributes: [attribute('badge', 'string', { mutability: 'immutable' }), attribute('room', 'string')],
};

const deviceType: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Devices',
  description: '',
  schema: BASE,
  schemaExtensions: [{ schema: EXT, required: false }],
  storage: { table: 'devices', alias: 'd', columns: [], computed: [] },
};

const registry = new SchemaRegistry([deviceSchema, assetSchema], [deviceType]);

function check(before: ScimObject, after: ScimObject): void {
  checkImmutable(registry, 'User', before, after);
}

function assertMutability(before: ScimObject, after: ScimObject, name: string): void {
  assert.throws(
    () => check(before, after),
    (error: unknown) => {
      assert.ok(error instanceof ScimException, `expected ScimException, got ${String(error)}`);
      assert.equal(error.scimType, 'mutability');
      assert.equal(error.status, 400);
      assert.equal(error.detail, `Attribute '${name}' is immutable and already set`);
      return true;
    },
  );
}

describe('checkImmutable', () => {
  const allowed: [string, ScimObject, ScimObject][] = [
    ['setting an unset immutable attribute', { label: 'a' }, { serial: 'S1', label: 'a' }],
    ['sending it again unchanged', { serial: 'S1' }, { serial: 'S1', label: 'new' }],
    ['changing a readWrite attribute', { serial: 'S1', label: 'a' }, { serial: 'S1', label: 'b' }],
    ['removing a readWrite attribute', { serial: 'S1', label: 'a' }, { serial: 'S1' }],
    ['an unchanged complex value', { spec: { cpu: 'x86', ram: 8 } }, { spec: { cpu: 'x86', ram: 8 } }],
    ['an unchanged multi-valued value', { tags: ['a', 'b'] }, { tags: ['a', 'b'] }],
    ['setting an extension immutable attribute first time', {}, { [EXT]: { badge: 'B1' } }],
    ['an unchanged extension value', { [EXT]: { badge: 'B1', room: '1' } }, { [EXT]: { badge: 'B1', room: '2' } }],
    ['changing an extension readWrite attribute', { [EXT]: { room: '1' } }, { [EXT]: { room: '2' } }],
    ['identical empty resources', {}, {}],
  ];
  for (const [label, before, after] of allowed) {
    it(`allows ${label}`, () => assert.doesNotThrow(() => check(before, after)));
  }

  const rejected: [string, ScimObject, ScimObject, string][] = [
    ['changing a set value', { serial: 'S1' }, { serial: 'S2' }, 'serial'],
    ['removing a set value', { serial: 'S1' }, {}, 'serial'],
    ['nulling a set value', { serial: 'S1' }, { serial: null }, 'serial'],
    ['changing a complex sub-attribute', { spec: { cpu: 'x86', ram: 8 } }, { spec: { cpu: 'x86', ram: 16 } }, 'spec'],
    ['adding a value to a multi-valued attribute', { tags: ['a'] }, { tags: ['a', 'b'] }, 'tags'],
    ['changing an extension value', { [EXT]: { badge: 'B1' } }, { [EXT]: { badge: 'B2' } }, 'badge'],
    ['dropping the whole extension', { [EXT]: { badge: 'B1' } }, {}, 'badge'],
    ['replacing the extension with a non-object', { [EXT]: { badge: 'B1' } }, { [EXT]: 'x' }, 'badge'],
  ];
  for (const [label, before, after, name] of rejected) {
    it(`rejects ${label} with mutability`, () => assertMutability(before, after, name));
  }

  it('compares complex values by content, not by key order', () => {
    assert.doesNotThrow(() => check({ spec: { cpu: 'x86', ram: 8 } }, { spec: { ram: 8, cpu: 'x86' } }));
  });

  it('ignores an extension present in before that is not an object', () => {
    assert.doesNotThrow(() => check({ [EXT]: 'junk' }, {}));
  });

  it('leaves Group members to the members logic (members itself is readWrite)', () => {
    const before = { schemas: [SCHEMA_GROUP], displayName: 'G', members: [{ value: 'u1' }] };
    const after = { schemas: [SCHEMA_GROUP], displayName: 'H', members: [{ value: 'u2' }] };
    assert.doesNotThrow(() => checkImmutable(new SchemaRegistry(), 'Group', before, after));
  });
});
