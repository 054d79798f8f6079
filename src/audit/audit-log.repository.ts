import { Inject, Injectable } from '@nestjs/common';
import { SQL_READER, type SqlParam, type SqlReader } from '../database/sql-reader.js';
import { placeholders } from '../database/sql/sql-fragment.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { AuditEntry, AuditQuery, AuditView } from './audit.types.js';

const COLUMNS =
  'directory_id, time, token_id, token_name, request_id, client_ip, user_agent, method, path, operation, ' +
  'resource_type, resource_id, resource_name, status, outcome, scim_type, detail, changed_attributes, ' +
  'members_added, members_removed, member_ids';
const WIDTH = 21;

/** The one statement every success row is written with: fixed text, so the driver reuses its plan. */
const INSERT = `INSERT INTO audit_log (${COLUMNS}) VALUES (${placeholders(1, WIDTH)})`;

/** Adds to the row of a client address and minute (aggregate_key), or starts it. */
const UPSERT_AGGREGATE =
  `INSERT INTO audit_log (${COLUMNS}, occurrences, aggregate_key) VALUES (${placeholders(1, WIDTH + 2)}) ` +
  `ON CONFLICT (aggregate_key) DO UPDATE SET occurrences = audit_log.occurrences + excluded.occurrences`;

const PRUNE = `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE time < $1 ORDER BY id LIMIT $2) RETURNING id`;

interface AuditRow {
  readonly id: string | number;
  readonly directory_id: number | null;
  readonly time: string;
  readonly token_id: string | null;
  readonly token_name: string | null;
  readonly request_id: string | null;
  readonly client_ip: string | null;
  readonly user_agent: string | null;
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly resource_type: string | null;
  readonly resource_id: string | null;
  readonly resource_name: string | null;
  readonly status: number;
  readonly outcome: 'success' | 'failure';
  readonly scim_type: string | null;
  readonly detail: string | null;
  readonly changed_attributes: string | null;
  readonly members_added: number | null;
  readonly members_removed: number | null;
  readonly member_ids: string | null;
  readonly occurrences: number;
}

function params(e: AuditEntry): SqlParam[] {
  const ids = e.members ? JSON.stringify({ added: e.members.addedIds, removed: e.members.removedIds }) : null;
  return [
    e.directoryId,
    e.time,
    e.tokenId,
    e.tokenName,
    e.requestId,
    e.clientIp,
    e.userAgent,
    e.method,
    e.path,
    e.operation,
    e.resourceType,
    e.resourceId,
    e.resourceName,
    e.status,
    e.outcome,
    e.scimType,
    e.detail,
    e.changedAttributes ? JSON.stringify(e.changedAttributes) : null,
    e.members?.added ?? null,
    e.members?.removed ?? null,
    ids,
  ];
}

function toView(r: AuditRow): AuditView {
  const ids = r.member_ids ? (JSON.parse(r.member_ids) as { added: string[]; removed: string[] }) : null;
  return {
    id: String(r.id),
    directoryId: r.directory_id === null ? null : Number(r.directory_id),
    time: r.time,
    tokenId: r.token_id,
    tokenName: r.token_name,
    requestId: r.request_id,
    clientIp: r.client_ip,
    userAgent: r.user_agent,
    method: r.method,
    path: r.path,
    operation: r.operation,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
    status: Number(r.status),
    outcome: r.outcome,
    scimType: r.scim_type,
    detail: r.detail,
    changedAttributes: r.changed_attributes ? (JSON.parse(r.changed_attributes) as string[]) : null,
    members: ids
      ? {
          added: Number(r.members_added),
          removed: Number(r.members_removed),
          addedIds: ids.added,
          removedIds: ids.removed,
        }
      : null,
    count: Number(r.occurrences),
  };
}

/** Filters as SQL conditions with their bound values; the column names are fixed text. */
function conditions(q: AuditQuery): { where: string; values: SqlParam[] } {
  const parts: string[] = [];
  const values: SqlParam[] = [];
  const add = (sql: string, value: SqlParam | undefined): void => {
    if (value === undefined) return;
    values.push(value);
    parts.push(`${sql} $${values.length}`);
  };
  add('directory_id =', q.directoryId);
  add('resource_type =', q.resourceType);
  add('resource_id =', q.resourceId);
  add('token_id =', q.tokenId);
  add('operation =', q.operation);
  add('outcome =', q.outcome);
  add('time >=', q.since);
  add('time <=', q.until);
  add('id <', q.beforeId);
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', values };
}

/**
 * The only SQL on audit_log. Rows are appended (a success row in its mutation's unit of
 * work, failure rows in a unit of work of their own), read newest first, and deleted only
 * by age. audit_log is not a resource table: its directory_id is bound like any value.
 */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(SQL_READER) private readonly reader: SqlReader) {}

  async insert(uow: UnitOfWork, entry: AuditEntry): Promise<void> {
    await uow.query(INSERT, params(entry));
  }

  /** Several failure rows in one statement. */
  async insertMany(uow: UnitOfWork, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((_, i) => `(${placeholders(i * WIDTH + 1, WIDTH)})`);
    await uow.query(`INSERT INTO audit_log (${COLUMNS}) VALUES ${rows.join(', ')}`, entries.flatMap(params));
  }

  /** Adds `count` occurrences to the row keyed `key` (one client address and minute), creating it from `entry`. */
  async addAggregated(uow: UnitOfWork, key: string, entry: AuditEntry, count: number): Promise<void> {
    await uow.query(UPSERT_AGGREGATE, [...params(entry), count, key]);
  }

  /** Up to `limit` rows older than `before` (oldest first); the number deleted. */
  async pruneBatch(uow: UnitOfWork, before: string, limit: number): Promise<number> {
    return (await uow.query(PRUNE, [before, limit])).length;
  }

  /** A page newest first: the index of the directory's (or the primary key) in descending id order. */
  async list(query: AuditQuery): Promise<AuditView[]> {
    const { where, values } = conditions(query);
    const sql = `SELECT id, ${COLUMNS}, occurrences FROM audit_log ${where} ORDER BY id DESC LIMIT $${values.length + 1}`;
    const rows = await this.reader.all<AuditRow>(undefined, sql, [...values, query.limit]);
    return rows.map(toView);
  }
}
