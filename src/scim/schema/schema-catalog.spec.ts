import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_RESOURCE_TYPE, DEVICE_SCHEMA, DEVICE_SCHEMA_URN } from '../../../test/setup/device-type.js';
import { indexedAttributesOf } from '../../users/multi-values.js';
import { perRegistry } from './per-registry.js';
import { USER_RESOURCE_TYPE } from './resource-types.js';
import { parseExtensionDefinition } from './extension-definition.js';
import {
  DEFAULT_SCHEMA_SOURCE,
  extendSchemaSource,
  SchemaCatalog,
  type DirectoryExtensions,
  type ExtensionSource,
} from './schema-catalog.js';
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

describe('SchemaCatalog with directory extensions', () => {
  const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
  const acme = parseExtensionDefinition(
    { id: ACME, resourceType: 'User', required: true, attributes: [{ name: 'badge', type: 'integer' }] },
    [],
  );

  function source(byDirectory: Map<number, DirectoryExtensions>) {
    const calls = { version: 0, load: 0 };
    const extensions: ExtensionSource = {
      version: (id) => {
        calls.version += 1;
        return Promise.resolve(byDirectory.get(id)?.version ?? 0);
      },
      load: (id) => {
        calls.load += 1;
        return Promise.resolve(byDirectory.get(id) ?? { version: 0, extensions: [] });
      },
    };
    return { extensions, calls };
  }

  it("adds a directory's extensions to its registry only, named in the resource type with required", async () => {
    const catalog = new SchemaCatalog();
    catalog.useExtensions(source(new Map([[1, { version: 1, extensions: [acme] }]])).extensions);
    const one = await catalog.current({ id: 1 });
    assert.equal(catalog.forDirectory({ id: 1 }), one);
    assert.equal(one.resolveText('User', `${ACME}:badge`)?.attribute.type, 'integer');
    assert.deepEqual(one.getResourceType('User').schemaExtensions.at(-1), { schema: ACME, required: true });
    const two = await catalog.current({ id: 2 });
    assert.equal(two.getSchema(ACME), undefined);
    assert.equal(two.getResourceType('User').schemaExtensions.length, 1);
  });

  it('reads the version at most every refreshMs, reloads when it moved, and at once after invalidate', async () => {
    const data = new Map<number, DirectoryExtensions>([[1, { version: 1, extensions: [] }]]);
    const { extensions, calls } = source(data);
    const catalog = new SchemaCatalog();
    catalog.useExtensions(extensions, 60_000);
    const first = await catalog.current({ id: 1 });
    data.set(1, { version: 2, extensions: [acme] });
    assert.equal(await catalog.current({ id: 1 }), first, 'within refreshMs the cached registry serves');
    assert.deepEqual(calls, { version: 1, load: 1 });
    catalog.invalidate(1);
    const second = await catalog.current({ id: 1 });
    assert.notEqual(second, first);
    assert.ok(second.getSchema(ACME));

    catalog.useExtensions(extensions, 0);
    const third = await catalog.current({ id: 1 });
    assert.equal(await catalog.current({ id: 1 }), third, 'an unchanged version keeps the compiled registry');
    assert.equal(calls.load, 3, 'the second check found the same version and loaded nothing');
  });
});
