import { Inject, Injectable } from '@nestjs/common';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import type { ResourceScope, ScopedTable } from '../database/scope/resource-scope.js';
import { SQL_READER, type SqlParam, type SqlReader } from '../database/sql-reader.js';
import { placeholders } from '../database/sql/sql-fragment.js';
import type { UnitOfWork } from '../database/unit-of-work.js';

/** A soft-deleted resource row. */
export interface DeletedRow {
  readonly id: string;
  readonly doc: string;
  readonly version: number | string;
  readonly created: string;
  readonly last_modified: string;
  readonly deleted_at: string;
}

/** The position after which a page of deleted rows continues (newest first: deleted_at, then id, descending). */
export interface DeletedPosition {
  readonly deletedAt: string;
  readonly id: string;
}

const COLUMNS = 'id, doc, version, created, last_modified, deleted_at';

/**
 * The SQL on soft-deleted rows (deletionPolicy "soft"), the only statements that see them:
 * each one names its rows through the scope's whereDeleted(), so the partial index
 * `(directory_id, deleted_at, id) WHERE deleted_at IS NOT NULL` serves it, and nothing here
 * can reach a live row or another directory's.
 */
@Injectable()
export class DeletedResourcesRepository {
  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
  ) {}

  /** Up to `limit` deleted rows of `table`, newest first, after `after`. */
  list(
    scope: ResourceScope,
    table: ScopedTable,
    after: DeletedPosition | undefined,
    limit: number,
  ): Promise<DeletedRow[]> {
    const params: SqlParam[] = after ? [after.deletedAt, after.id, limit] : [limit];
    const from = after ? ' AND (deleted_at < $1 OR (deleted_at = $1 AND id < $2))' : '';
    return this.reader.all<DeletedRow>(
      undefined,
      `SELECT ${COLUMNS} FROM ${scope.from(table)} WHERE ${scope.whereDeleted(table)}${from}
       ORDER BY deleted_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** The deleted row, locked until the transaction ends; null when `table` holds no such deleted row. */
  async lock(uow: UnitOfWork, table: ScopedTable, id: string): Promise<DeletedRow | null> {
    const s = uow.scope;
    const rows = await uow.query<DeletedRow>(
      `SELECT ${COLUMNS} FROM ${s.from(table)} WHERE ${s.whereDeleted(table)} AND id = $1${this.dialect.lock('update')}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Makes the row live again, with a new version (its representation reappears). The partial
   * unique indexes refuse it (a unique violation) when a live row took its userName meanwhile.
   */
  async restore(uow: UnitOfWork, table: ScopedTable, id: string, now: string): Promise<void> {
    const s = uow.scope;
    await uow.query(
      `${s.update(table)} deleted_at = NULL, version = version + 1, last_modified = $2
       WHERE ${s.whereDeleted(table)} AND id = $1`,
      [id, now],
    );
  }

  /** Up to `limit` ids of rows deleted before `before` (ISO time), oldest first. */
  async expired(uow: UnitOfWork, table: ScopedTable, before: string, limit: number): Promise<string[]> {
    const s = uow.scope;
    const rows = await uow.query<{ id: string }>(
      `SELECT id FROM ${s.from(table)} WHERE ${s.whereDeleted(table)} AND deleted_at < $1
       ORDER BY deleted_at, id LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Deletes deleted rows for good, with their multi-valued index rows (and any membership,
   * though a soft delete already removed those); the number of rows deleted.
   */
  async purge(uow: UnitOfWork, table: ScopedTable, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const s = uow.scope;
    const list = placeholders(1, ids.length);
    const gone = await uow.query(
      `${s.deleteFrom(table)} WHERE ${s.whereDeleted(table)} AND id IN (${list}) RETURNING id`,
      ids,
    );
    if (gone.length === 0) return 0;
    const purged = gone.map((r) => String(r['id']));
    const kept = placeholders(1, purged.length);
    await uow.query(
      `${s.deleteFrom('multi_values')} WHERE ${s.where('multi_values')} AND resource_id IN (${kept})`,
      purged,
    );
    await uow.query(
      `${s.deleteFrom('group_members')} WHERE ${s.where('group_members')}
       AND (member_id IN (${kept}) OR group_id IN (${kept}))`,
      purged,
    );
    return purged.length;
  }
}
