import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCHEMA_ENTERPRISE_USER, SCHEMA_GROUP, SCHEMA_USER } from '../scim.constants.js';
import { publishedSchemas } from './published-schemas.js';
import { SchemaRegistry } from './schema-registry.js';

describe('publishedSchemas', () => {
  const registry = new SchemaRegistry();
  const externalId = registry.commonAttributeDefinitions().find((a) => a.name === 'externalId');

  it("lists the common externalId in each resource type's core schema, as defined once, and only there", () => {
    const published = publishedSchemas(registry);
    for (const urn of [SCHEMA_USER, SCHEMA_GROUP]) {
      const attributes = published.find((s) => s.id === urn)?.attributes ?? [];
      assert.equal(attributes.filter((a) => a.name === 'externalId').length, 1, urn);
      assert.equal(
        attributes.find((a) => a.name === 'externalId'),
        externalId,
      );
      // The registry's own schema is untouched: validation keeps externalId a common attribute.
      assert.ok(!registry.getSchema(urn)?.attributes.some((a) => a.name === 'externalId'));
    }
    const enterprise = published.find((s) => s.id === SCHEMA_ENTERPRISE_USER);
    assert.equal(enterprise, registry.getSchema(SCHEMA_ENTERPRISE_USER));
  });

  it('applies a uniqueness override to the named attribute alone', () => {
    const override = { schema: SCHEMA_GROUP, attribute: 'displayname', uniqueness: 'server' } as const;
    const group = publishedSchemas(registry, [override]).find((s) => s.id === SCHEMA_GROUP);
    assert.equal(group?.attributes.find((a) => a.name === 'displayName')?.uniqueness, 'server');
    assert.equal(group?.attributes.find((a) => a.name === 'members')?.uniqueness, 'none');
    assert.equal(
      registry.getSchema(SCHEMA_GROUP)?.attributes.find((a) => a.name === 'displayName')?.uniqueness,
      'none',
    );
  });
});
