import { ScimException } from '../errors/scim.exception.js';
import { weakEtag } from './scim-resource.js';

/**
 * RFC 7232 §3.1/§3.2 entity-tag matching as RFC 7644 §3.14 uses it: `*` matches any
 * current representation; otherwise a comma-separated list compared weakly (W/"3"
 * and "3" both name version 3).
 */
export function etagMatches(header: string, version: number): boolean {
  const wanted = weakEtag(version).slice(2);
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === '*' || tag.replace(/^W\//, '') === wanted;
  });
}

/** If-Match on PUT/PATCH/DELETE: a stale version is 412 (RFC 7644 §3.14, Table 8). */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch !== undefined && !etagMatches(ifMatch, version)) {
    throw ScimException.preconditionFailed(`If-Match does not match the current version ${weakEtag(version)}`);
  }
}
