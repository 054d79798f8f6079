import { ScimException } from '../errors/scim.exception.js';
import { assertNever } from '../filter/filter.ast.js';
import { isPlainObject, namesOnly } from '../resource/scim-resource.js';
import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { parsePatchPath } from './patch-path.parser.js';
import type { PatchPath } from './patch.types.js';

/** One attribute of an object value, addressed as if it had been sent as its own operation. */
export interface ExpandedEntry {
  readonly path: PatchPath;
  readonly value: unknown;
}

/**
 * The entries of the object `value` of a pathless add/replace (RFC 7644 §3.5.2.1, §3.5.2.3), or
 * of an add/replace whose path is a whole schema URN. Every key goes through the same path parser
 * as `path` does (Entra sends such keys), so `name.givenName`, `urn:…:enterprise:2.0:User:department`
 * and `emails[type eq "work"].value` keys become separate operations in key order. Strict mode
 * accepts only what a resource representation may hold (RFC 7643 §3.3): plain attribute names
 * and extension URNs whose value is an object of plain names.
 *
 * `schemaUri` is set when expanding the object under a schema URN: its keys are that schema's.
 * A `schemas` key is skipped: the server derives `schemas` from the extension data present.
 * Inside an extension's object, lenient mode skips one that names only that extension (Python's
 * scim2-models serializes an extension with its own `schemas`); any other stays an unknown attribute.
 */
export function expandObjectValue(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  value: unknown,
  lenient: boolean,
  schemaUri?: string,
): ExpandedEntry[] {
  if (!isPlainObject(value)) {
    const what = schemaUri ? `path "${schemaUri}"` : 'an operation without "path"';
    throw ScimException.invalidValue(`The value of ${what} must be an object of attributes`);
  }
  const entries: ExpandedEntry[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (key.toLowerCase() === 'schemas' && (schemaUri === undefined || (lenient && namesOnly(item, schemaUri)))) {
      continue;
    }
    const text = schemaUri === undefined ? key : `${schemaUri}:${key}`;
    const path = parsePatchPath(registry, type, text, lenient);
    if (path.kind === 'schema' && schemaUri !== undefined) {
      throw ScimException.invalidPath(`Key "${key}" inside "${schemaUri}" names a schema, not an attribute`);
    }
    if (!lenient && !isPlainKey(key, path)) {
      throw ScimException.invalidValue(
        `Key "${key}" of the value is not an attribute name; use "path" for sub-attributes and value filters`,
      );
    }
    entries.push({ path, value: item });
  }
  return entries;
}

function isPlainKey(key: string, path: PatchPath): boolean {
  switch (path.kind) {
    case 'schema':
      return true;
    case 'attribute':
      return path.target.subAttribute === undefined && !key.includes(':');
    case 'valuePath':
      return false;
    default:
      return assertNever(path);
  }
}
