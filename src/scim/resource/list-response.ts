import { MESSAGE_LIST_RESPONSE } from '../scim.constants.js';
import type { ScimObject } from './scim-resource.js';

export interface ListResponse {
  readonly schemas: readonly string[];
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: readonly ScimObject[];
}

/**
 * RFC 7644 §3.4.2: the numbers are JSON numbers, and `Resources` is present even
 * when empty because some clients assert it (requirements B.16).
 */
export function listResponse(resources: readonly ScimObject[], totalResults: number, startIndex: number): ListResponse {
  return {
    schemas: [MESSAGE_LIST_RESPONSE],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
