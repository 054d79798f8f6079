import { Injectable } from '@nestjs/common';
import type { ScopedTable } from '../database/scope/resource-scope.js';
import { placeholders } from '../database/sql/sql-fragment.js';
import type { UnitOfWork } from '../database/unit-of-work.js';

/**
 * Deletes a deleted directory's resources in bounded batches. Every statement is built by
 * the unit of work's scope (the directory being purged), so a batch can only reach rows of
 * that directory; ids are the ones the scoped SELECT returned, bound as parameters.
 */
@Injectable()
export class DirectoryPurgeRepository {
  /**
   * Deletes up to `limit` rows of `table` (a resource table keyed by `id`), with their
   * memberships (as group or as member) and multi-valued index rows; the number deleted.
   */
  async deleteBatch(uow: UnitOfWork, table: ScopedTable, limit: number): Promise<number> {
    const s = uow.scope;
    // Live and soft-deleted rows alike: the directory goes with everything it kept.
    const rows = await uow.query<{ id: string }>(
      `SELECT id FROM ${s.from(table)} WHERE ${s.whereAll(table)} ORDER BY id LIMIT $1`,
      [limit],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return 0;
    const list = placeholders(1, ids.length);
    await uow.query(
      `${s.deleteFrom('group_members')} WHERE ${s.where('group_members')}
       AND (member_id IN (${list}) OR group_id IN (${list}))`,
      ids,
    );
    await uow.query(
      `${s.deleteFrom('multi_values')} WHERE ${s.where('multi_values')} AND resource_id IN (${list})`,
      ids,
    );
    await uow.query(`${s.deleteFrom(table)} WHERE ${s.whereAll(table)} AND id IN (${list})`, ids);
    return ids.length;
  }

  /** Whether the directory holds any live row of `table` (soft-deleted ones do not keep it from being deleted). */
  async holdsAny(uow: UnitOfWork, table: ScopedTable): Promise<boolean> {
    const s = uow.scope;
    const rows = await uow.query(`SELECT 1 AS one FROM ${s.from(table)} WHERE ${s.where(table)} LIMIT 1`, []);
    return rows.length > 0;
  }
}
