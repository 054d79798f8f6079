import type { WorkContext } from '../common/http/scim-context.js';
import type { ScimException } from '../scim/errors/scim.exception.js';
import { operationOf, sentName } from './audit-failure.hooks.js';
import type { AuditEntry } from './audit.types.js';

/** An operation inside a request that failed on its own while the request succeeded (a Bulk operation). */
export interface FailedOperation {
  readonly method: string;
  /** The path of the single call it stands for, e.g. `/scim/v2/Users/{id}`. */
  readonly path: string;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  /** What it sent: its name (userName, displayName) is kept, as for a failed request. */
  readonly body: unknown;
}

/**
 * The failure row of one operation of a request that itself answered 2xx (RFC 7644 §3.7.3:
 * a Bulk response is 200 with each operation's own status): without it a failed Bulk
 * operation would leave no trace, since only failed requests are recorded after the response.
 */
export function operationFailureEntry(ctx: WorkContext, op: FailedOperation, error: ScimException): AuditEntry {
  return {
    directoryId: ctx.directory.id,
    time: new Date().toISOString(),
    tokenId: ctx.principal.tokenId,
    tokenName: ctx.principal.tokenName,
    requestId: ctx.requestId,
    clientIp: ctx.request?.clientIp ?? null,
    userAgent: ctx.request?.userAgent ?? null,
    method: op.method,
    path: op.path,
    operation: operationOf(op.method, op.path) ?? op.method.toLowerCase(),
    resourceType: op.resourceType,
    resourceId: op.resourceId,
    resourceName: sentName(op.body),
    status: error.status,
    outcome: 'failure',
    scimType: error.scimType ?? null,
    detail: error.detail,
    changedAttributes: null,
    members: null,
  };
}
