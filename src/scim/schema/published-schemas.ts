import type { AttributeDefinition, SchemaDefinition, Uniqueness } from './attribute-definition.js';
import type { SchemaRegistry } from './schema-registry.js';

/** A uniqueness a directory's setting gives an attribute of a schema (Group displayName). */
export interface UniquenessOverride {
  readonly schema: string;
  readonly attribute: string;
  readonly uniqueness: Uniqueness;
}

/** The common attributes a resource schema lists besides its own (RFC 7643 §3.1 allows it). */
const LISTED_COMMON = ['externalId'];

/**
 * The resource schemas as /Schemas publishes them: each resource type's core schema also
 * lists `externalId`, with the common attribute's own definition, so a client checking
 * its attribute mappings against /Schemas (Entra's gallery validation) finds it. Only the
 * published form changes: validation, PATCH and projection read the registry's schemas,
 * where the common attributes stay apart (no double validation, same characteristics).
 * `overrides` set what a directory's settings decide (RFC 7643 §2.1 uniqueness).
 */
export function publishedSchemas(
  registry: SchemaRegistry,
  overrides: readonly UniquenessOverride[] = [],
): SchemaDefinition[] {
  const cores = new Set(registry.listResourceTypes().map((t) => t.schema.toLowerCase()));
  const common = registry.commonAttributeDefinitions().filter((a) => LISTED_COMMON.includes(a.name));
  return registry.listSchemas().map((schema) => {
    const own = overrides.filter((o) => o.schema.toLowerCase() === schema.id.toLowerCase());
    const listed = cores.has(schema.id.toLowerCase()) ? withCommon(schema.attributes, common) : schema.attributes;
    const attributes = own.length > 0 ? listed.map((a) => withOverride(a, own)) : listed;
    return attributes === schema.attributes ? schema : { ...schema, attributes };
  });
}

function withCommon(
  attributes: readonly AttributeDefinition[],
  common: readonly AttributeDefinition[],
): readonly AttributeDefinition[] {
  const names = new Set(attributes.map((a) => a.name.toLowerCase()));
  const missing = common.filter((a) => !names.has(a.name.toLowerCase()));
  return missing.length > 0 ? [...attributes, ...missing] : attributes;
}

function withOverride(attribute: AttributeDefinition, overrides: readonly UniquenessOverride[]): AttributeDefinition {
  const override = overrides.find((o) => o.attribute.toLowerCase() === attribute.name.toLowerCase());
  return override ? { ...attribute, uniqueness: override.uniqueness } : attribute;
}
