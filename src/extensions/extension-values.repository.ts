import { isUniqueViolation } from '../database/transaction.service.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { toUtcInstant } from '../scim/filter/date-time.util.js';
import { foldKey } from '../scim/resource/fold-key.js';
import { checkKeyBytes, type InputLimits } from '../scim/resource/input-limits.js';
import { isPlainObject, type ScimObject } from '../scim/resource/scim-resource.js';
import type { AttributeDefinition } from '../scim/schema/attribute-definition.js';
import { perRegistry } from '../scim/schema/per-registry.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';

/** An extension attribute with `uniqueness: "server"`, and its key in the side table (`<urn>:<name>`, lower-cased). */
export interface UniqueAttribute {
  readonly schemaUri: string;
  readonly attribute: AttributeDefinition;
  readonly key: string;
}

/** The extension attributes of each resource type that are unique within the directory. */
const uniqueAttributesOf = perRegistry((registry) => {
  const byType = new Map<string, UniqueAttribute[]>();
  for (const type of registry.listResourceTypes()) {
    const list: UniqueAttribute[] = [];
    for (const ext of type.schemaExtensions) {
      for (const attribute of registry.getSchema(ext.schema)?.attributes ?? []) {
        if (attribute.uniqueness !== 'server' || attribute.type === 'complex') continue;
        list.push({ schemaUri: ext.schema, attribute, key: `${ext.schema}:${attribute.name}`.toLowerCase() });
      }
    }
    byType.set(type.name, list);
  }
  return byType;
});

export function uniqueAttributes(registry: SchemaRegistry, type: string): readonly UniqueAttribute[] {
  return uniqueAttributesOf(registry).get(type) ?? [];
}

/**
 * The comparison key of a value (RFC 7643 §2.1 uniqueness with §2.3 comparison rules):
 * case-folded unless caseExact, numbers in JSON's canonical form, dateTimes as UTC instants.
 */
export function valueKey(def: AttributeDefinition, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return typeof value === 'string' ? (def.caseExact ? value : foldKey(value)) : undefined;
    case 'dateTime':
      return typeof value === 'string' ? (toUtcInstant(value) ?? value) : undefined;
    case 'integer':
    case 'decimal':
      return typeof value === 'number' ? String(value) : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : undefined;
    case 'complex':
      return undefined;
  }
}

function keysOf(unique: UniqueAttribute, doc: ScimObject, limits: Pick<InputLimits, 'keyBytes'>): string[] {
  const part = doc[unique.schemaUri];
  if (!isPlainObject(part)) return [];
  const raw = part[unique.attribute.name];
  const values = Array.isArray(raw) ? raw : [raw];
  const path = `${unique.schemaUri}:${unique.attribute.name}`;
  const keys = values.map((v) => valueKey(unique.attribute, v)).filter((k): k is string => k !== undefined);
  return [...new Set(keys.map((k) => checkKeyBytes(path, k, limits)))];
}

/**
 * The side table of `uniqueness: "server"` extension values (`extension_unique_values`),
 * written in the unit of work of the resource's change, so its unique index refuses a
 * duplicate within the directory (409 uniqueness, RFC 7644 §3.3) and a delete frees the
 * value with the resource. Types without such attributes cost no statement.
 */
export class ExtensionValuesRepository {
  constructor(private readonly limits: Pick<InputLimits, 'keyBytes'>) {}

  /** Writes the resource's unique values; `replacing` drops what it held first. */
  async write(
    uow: UnitOfWork,
    registry: SchemaRegistry,
    type: string,
    id: string,
    doc: ScimObject,
    replacing: boolean,
  ): Promise<void> {
    const attributes = uniqueAttributes(registry, type);
    if (attributes.length === 0) return;
    if (replacing) await this.remove(uow, registry, type, id);
    const directory = uow.scope.directoryId;
    for (const unique of attributes) {
      for (const key of keysOf(unique, doc, this.limits)) {
        try {
          await uow.query(
            `INSERT INTO extension_unique_values (directory_id, resource_type, attribute, value_key, resource_id)
             VALUES ($1, $2, $3, $4, $5)`,
            [directory, type, unique.key, key, id],
          );
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          throw ScimException.uniqueness(`${unique.schemaUri}:${unique.attribute.name} is already taken`);
        }
      }
    }
  }

  async remove(uow: UnitOfWork, registry: SchemaRegistry, type: string, id: string): Promise<void> {
    if (uniqueAttributes(registry, type).length === 0) return;
    await uow.query(
      'DELETE FROM extension_unique_values WHERE directory_id = $1 AND resource_type = $2 AND resource_id = $3',
      [uow.scope.directoryId, type, id],
    );
  }
}
