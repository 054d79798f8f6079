import { MESSAGE_ERROR } from '../scim.constants.js';
import type { ScimException } from './scim.exception.js';

/** An RFC 7644 §3.12 error response body. */
export interface ScimErrorBody {
  readonly schemas: readonly [typeof MESSAGE_ERROR];
  /** The HTTP status code, as a JSON string (RFC 7644 §3.12). */
  readonly status: string;
  readonly scimType?: string;
  readonly detail: string;
}

/**
 * The one rendering of an error (RFC 7644 §3.12): `status` as a string, `scimType` only when
 * there is one. The exception filter sends it; a Bulk response (§3.7.3) embeds it per operation.
 */
export function toErrorBody(error: Pick<ScimException, 'status' | 'scimType' | 'detail'>): ScimErrorBody {
  return {
    schemas: [MESSAGE_ERROR],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}
