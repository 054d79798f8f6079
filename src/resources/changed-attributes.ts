import { isPlainObject, type ScimObject } from '../scim/resource/scim-resource.js';

/** Most paths one change reports: an audit row stays bounded whatever the document holds. */
export const MAX_CHANGED_ATTRIBUTES = 100;

/** Kept by the server, not written by the client. */
const SERVER_KEYS = new Set(['id', 'meta', 'schemas']);

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** A sub-attribute's path: `name.givenName`, or `urn:…:User:manager` under an extension (RFC 7644 §3.10). */
const join = (parent: string, child: string): string =>
  parent.startsWith('urn:') ? `${parent}:${child}` : `${parent}.${child}`;

/**
 * The attribute paths whose values differ between two stored documents: top-level
 * attributes, one level into complex attributes and extension objects. Paths only, never
 * values, so an audit row holds no attribute value (RFC 7644 §7.5.1 treats them as PII).
 */
export function changedAttributes(before: ScimObject, after: ScimObject): string[] {
  const paths: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (SERVER_KEYS.has(key) || same(before[key], after[key])) continue;
    const a = before[key];
    const b = after[key];
    if ((isPlainObject(a) || a === undefined) && (isPlainObject(b) || b === undefined)) {
      const x = a ?? {};
      const y = b ?? {};
      for (const sub of new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (!same(x[sub], y[sub])) paths.push(join(key, sub));
      }
    } else paths.push(key);
  }
  return paths.slice(0, MAX_CHANGED_ATTRIBUTES);
}

/** What an admin recognises a resource by: its userName or displayName (RFC 7643 §4.1, §4.2). */
export function resourceNameOf(doc: ScimObject): string | undefined {
  const name = doc['userName'] ?? doc['displayName'];
  return typeof name === 'string' ? name : undefined;
}
