import { MESSAGE_LIST_RESPONSE } from '../scim.constants.js';
import type { ScimObject } from './scim-resource.js';

export interface ListResponse {
  readonly schemas: readonly string[];
  readonly totalResults?: number;
  readonly startIndex?: number;
  readonly itemsPerPage: number;
  readonly nextCursor?: string;
  readonly previousCursor?: string;
  readonly Resources: readonly ScimObject[];
}

export interface ListPaging {
  readonly totalResults?: number;
  readonly startIndex?: number;
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/**
 * RFC 7644 §3.4.2: the numbers are JSON numbers, and `Resources` is present even
 * when empty (the RFC requires it only for a non-zero totalResults) because some clients,
 * Microsoft's SCIM reference code among them, assert it. Cursor pages
 * (RFC 9865 §2) carry nextCursor/previousCursor instead of startIndex.
 */
export function listResponse(resources: readonly ScimObject[], paging: ListPaging): ListResponse {
  return {
    schemas: [MESSAGE_LIST_RESPONSE],
    ...(paging.totalResults !== undefined ? { totalResults: paging.totalResults } : {}),
    ...(paging.startIndex !== undefined ? { startIndex: paging.startIndex } : {}),
    itemsPerPage: resources.length,
    ...(paging.nextCursor ? { nextCursor: paging.nextCursor } : {}),
    ...(paging.previousCursor ? { previousCursor: paging.previousCursor } : {}),
    Resources: resources,
  };
}
