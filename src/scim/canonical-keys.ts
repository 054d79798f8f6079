import { ScimException } from './errors/scim.exception.js';

/**
 * A copy of a SCIM message object (SearchRequest, PatchOp, BulkRequest, or one of their
 * operations) whose keys that match one of `names` case-insensitively carry that canonical
 * spelling: attribute names are case-insensitive (RFC 7643 §2.1), message attributes
 * ("Operations", "filter", "failOnErrors", ...) included (RFC 7644 §3.4.3, §3.5.2, §3.7).
 * Other keys are copied as sent. Two keys naming the same member ("filter" and "Filter")
 * are 400 invalidSyntax naming both, so that neither silently wins. `where` prefixes the
 * detail (e.g. "Operations[2]").
 */
export function canonicalKeys(
  body: Readonly<Record<string, unknown>>,
  names: readonly string[],
  where?: string,
): Record<string, unknown> {
  const canonical = new Map(names.map((name) => [name.toLowerCase(), name]));
  const sentAs = new Map<string, string>();
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = canonical.get(key.toLowerCase());
    if (name !== undefined) {
      const other = sentAs.get(name);
      if (other !== undefined) {
        const detail = `"${other}" and "${key}" name the same member "${name}" (names are case-insensitive, RFC 7643 §2.1)`;
        throw ScimException.invalidSyntax(where ? `${where}: ${detail}` : detail);
      }
      sentAs.set(name, key);
    }
    // defineProperty, not assignment: a "__proto__" key stays a plain member.
    Object.defineProperty(copy, name ?? key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
