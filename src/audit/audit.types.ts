/** Whether the request the row records succeeded (written with the change) or failed (written after the response). */
export type AuditOutcome = 'success' | 'failure';

/** Member ids a row keeps of each side of a group change; the counts are always exact. */
export const MAX_MEMBER_IDS = 100;

/** The operation of a failed-authentication row. */
export const AUTHENTICATE = 'authenticate';

/** One audit row as it is written. */
export interface AuditEntry {
  /** Null only for failed authentication, which names no directory it may be trusted to belong to. */
  readonly directoryId: number | null;
  readonly time: string;
  readonly tokenId: string | null;
  readonly tokenName: string | null;
  readonly requestId: string | null;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  readonly resourceName: string | null;
  readonly status: number;
  readonly outcome: AuditOutcome;
  readonly scimType: string | null;
  readonly detail: string | null;
  readonly changedAttributes: readonly string[] | null;
  readonly members: {
    readonly added: number;
    readonly removed: number;
    readonly addedIds: readonly string[];
    readonly removedIds: readonly string[];
  } | null;
}

/** An audit row as the admin API returns it (README, "Provisioning log"). */
export interface AuditView extends AuditEntry {
  /** Its position in the log; rows are returned newest (highest) first. */
  readonly id: string;
  /** Failed authentications this row stands for (aggregated per client address and minute); 1 otherwise. */
  readonly count: number;
}

/** The filters of an audit read; `directoryId` undefined reads every directory's rows. */
export interface AuditQuery {
  readonly directoryId?: number;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly tokenId?: string;
  readonly operation?: string;
  readonly outcome?: AuditOutcome;
  readonly since?: string;
  readonly until?: string;
  /** Rows older than this id (the cursor's). */
  readonly beforeId?: number;
  readonly limit: number;
}
