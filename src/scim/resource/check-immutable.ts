import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { ScimException } from '../errors/scim.exception.js';
import { isPlainObject, type ScimObject } from './scim-resource.js';

/** JSON text with object keys sorted, so member order (RFC 7643 §2.3.8: irrelevant) cannot differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * RFC 7644 §3.5.1: an immutable attribute that already has a value may be sent
 * again only unchanged (400 mutability otherwise); one without a value may be set.
 */
export function checkImmutable(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  before: ScimObject,
  after: ScimObject,
): void {
  const base = registry.getResourceType(type).schema;
  for (const uri of registry.schemaUrisOf(type)) {
    const schema = registry.getSchema(uri);
    const from = uri === base ? before : before[uri];
    const to = uri === base ? after : after[uri];
    if (!schema || !isPlainObject(from)) continue;
    for (const attr of schema.attributes) {
      if (attr.mutability !== 'immutable' || from[attr.name] === undefined) continue;
      const next = isPlainObject(to) ? to[attr.name] : undefined;
      if (!sameValue(from[attr.name], next)) {
        throw ScimException.mutability(`Attribute '${attr.name}' is immutable and already set`);
      }
    }
  }
}
