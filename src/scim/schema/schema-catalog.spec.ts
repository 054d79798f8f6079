import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_RESOURCE_TYPE, DEVICE_SCHEMA, DEVICE_SCHEMA_URN } from '../../../test/setup/device-type.js';
import { indexedAttributesOf } from '../../users/multi-values.js';
import { perRegistry } from './per-registry.js';
import { USER_RESOURCE_TYPE } from './resource-types.js';
import { DEFAULT_SCHEMA_SOURCE, extendSchemaSource, SchemaCatalog } from './schema-catalog.js';
import { SchemaRegistry } from './schema-registry.js';

describe('SchemaCatalog', () => {
  it('compiles one registry per directory and keeps it', () => {
    const catalog = new SchemaCatalog();
    const a = catalog.forDirectory({ id: 11 });
    assert.equal(catalog.forDirectory({ id: 11 }), a);
    assert.notEqual(catalog.forDirectory({ id: 12 }), a);
    assert.deepEqual(
      a.listResourceTypes().map((t) => t.name),
      ['User', 'Group'],
    );
  });

  it('serves the resource types and schemas of its source', () => {
    const catalog = new SchemaCatalog(
      extendSchemaSource({ schemas: [DEVICE_SCHEMA], resourceTypes: [DEVICE_RESOURCE_TYPE] }),
    );
    assert.deepEqual(
      catalog.resourceTypes().map((t) => t.name),
      ['User', 'Group', 'Device'],
    );
    const registry = catalog.forDirectory({ id: 1 });
    assert.equal(registry.getSchema(DEVICE_SCHEMA_URN), DEVICE_SCHEMA);
    assert.equal(registry.resolveText('Device', 'serialnumber')?.path, 'serialNumber');
    assert.equal(DEFAULT_SCHEMA_SOURCE.resourceTypes.length, 2, 'extending leaves the default source alone');
  });

  it("refuses a resource type naming an unregistered schema, or another type's name or endpoint", () => {
    assert.throws(
      () => new SchemaCatalog(extendSchemaSource({ resourceTypes: [DEVICE_RESOURCE_TYPE] })),
      /unregistered schema/,
    );
    const twin = { ...DEVICE_RESOURCE_TYPE, name: 'Twin', id: 'Twin', endpoint: '/users' };
    assert.throws(
      () => new SchemaRegistry([...DEFAULT_SCHEMA_SOURCE.schemas, DEVICE_SCHEMA], [USER_RESOURCE_TYPE, twin]),
      /clashes with User/,
    );
  });
});

describe('perRegistry', () => {
  it('derives once per compiled registry, separately for each', () => {
    let calls = 0;
    const derive = perRegistry((registry) => {
      calls += 1;
      return registry.listSchemas().length;
    });
    const catalog = new SchemaCatalog();
    const a = catalog.forDirectory({ id: 11 });
    assert.equal(derive(a), 3);
    assert.equal(derive(a), 3);
    assert.equal(calls, 1);
    derive(catalog.forDirectory({ id: 12 }));
    assert.equal(calls, 2);
  });

  it('gives each registry its own indexed multi-valued attributes', () => {
    const catalog = new SchemaCatalog();
    const a = indexedAttributesOf(catalog.forDirectory({ id: 11 }));
    assert.equal(indexedAttributesOf(catalog.forDirectory({ id: 11 })), a);
    assert.deepEqual(
      a.map((d) => d.name),
      ['emails', 'phoneNumbers', 'ims', 'photos', 'entitlements', 'roles'],
    );
    assert.notEqual(indexedAttributesOf(catalog.forDirectory({ id: 12 })), a);
  });
});
