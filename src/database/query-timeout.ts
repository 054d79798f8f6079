import { ScimException } from '../scim/errors/scim.exception.js';
import { driverErrorCode } from './driver-error.js';

/** PostgreSQL's query_canceled: statement_timeout fired (or an operator cancelled the statement). */
const QUERY_CANCELED = '57014';

/**
 * A read cut off by QUERY_TIMEOUT_MS is the server's limit, not the client's error: 503 with
 * Retry-After (RFC 9110 §15.6.4), never a 400, which IdPs treat as final. Other errors pass.
 */
export function scanError(error: unknown): unknown {
  if (driverErrorCode(error) === QUERY_CANCELED) {
    return ScimException.serviceUnavailable(
      'The query ran longer than the server allows (QUERY_TIMEOUT_MS); retry later or narrow the filter',
    );
  }
  return error;
}
