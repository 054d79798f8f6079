import { isPlainObject } from '../scim/resource/scim-resource.js';

/**
 * `bulkId:<id>` names the resource an earlier or later POST of the same request creates
 * (RFC 7644 §3.7.2). `bulkId` is reserved for this (RFC 7643 §3.1: it never appears in an
 * id), so every string value that is exactly such a reference is one: members' and manager's
 * `value`, extension attributes of type reference, PATCH operation values alike.
 */
const PREFIX = 'bulkId:';

/** The bulkId a value refers to, if it is a reference. */
export function referencedBulkId(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith(PREFIX) && value.length > PREFIX.length
    ? value.slice(PREFIX.length)
    : undefined;
}

/** Every bulkId a JSON value refers to. */
export function collectReferences(value: unknown, into: Set<string>): Set<string> {
  const id = referencedBulkId(value);
  if (id !== undefined) into.add(id);
  else if (Array.isArray(value)) for (const item of value) collectReferences(item, into);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collectReferences(item, into);
  return into;
}

/** A copy with each reference to a created resource replaced by its id. */
export function resolveReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  const id = referencedBulkId(value);
  if (id !== undefined) return ids.get(id) ?? value;
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, ids));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, ids)]));
  }
  return value;
}

/** Whether a value is, or is a complex value whose `value` is, a reference to one of `pending`. */
function refersTo(value: unknown, pending: ReadonlySet<string>): boolean {
  const direct = referencedBulkId(value) ?? (isPlainObject(value) ? referencedBulkId(value['value']) : undefined);
  return direct !== undefined && pending.has(direct);
}

/**
 * A copy without the references to `pending` (the resources of a circle not created yet):
 * a member or other multi-valued entry naming one is dropped, a single attribute naming one
 * (manager) is left out. The first phase of resolving circular references (RFC 7644 §3.7.1).
 */
export function withoutReferences(value: unknown, pending: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => !refersTo(item, pending)).map((item) => withoutReferences(item, pending));
  }
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => !refersTo(v, pending))
        .map(([k, v]) => [k, withoutReferences(v, pending)]),
    );
  }
  return value;
}
