import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { isPlainObject, type ScimObject } from './scim-resource.js';

/**
 * A stored document without the extension values its directory's schema no longer defines
 * (an extension or attribute removed with allowRemoval): a PATCH starts from this, so under
 * STRICT_SCHEMA the leftovers are not mistaken for unknown attributes the client sent.
 * Returns the document itself when nothing is stale (the common case costs no copy).
 */
export function withoutStaleExtensions(registry: SchemaRegistry, type: ResourceTypeName, doc: ScimObject): ScimObject {
  let out: ScimObject | undefined;
  const copy = (): ScimObject => (out ??= { ...doc });
  for (const [key, value] of Object.entries(doc)) {
    if (!key.includes(':')) continue;
    const uri = registry.findSchemaUri(type, key);
    const schema = uri ? registry.getSchema(uri) : undefined;
    if (!schema || !isPlainObject(value)) {
      delete copy()[key];
      continue;
    }
    const names = new Set(schema.attributes.map((a) => a.name.toLowerCase()));
    const kept = Object.fromEntries(Object.entries(value).filter(([name]) => names.has(name.toLowerCase())));
    if (Object.keys(kept).length !== Object.keys(value).length) copy()[key] = kept;
  }
  if (out && Array.isArray(doc['schemas'])) {
    out['schemas'] = (doc['schemas'] as unknown[]).filter(
      (s) => typeof s !== 'string' || !s.includes(':') || registry.findSchemaUri(type, s) !== undefined,
    );
  }
  return out ?? doc;
}
