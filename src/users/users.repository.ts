import { Injectable } from '@nestjs/common';
import { inBatches } from '../database/sql/sql-fragment.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { MultiValueRow } from './multi-values.js';

// Rows per multi_values INSERT: 6 parameters each, about 3,000 per statement.
const MULTI_VALUE_BATCH = 500;

/**
 * The SQL Users add to the generic resource repository (which writes and reads their rows,
 * per USER_RESOURCE_TYPE's storage): the multi_values rows their filters use. Writes take
 * the unit of work.
 */
@Injectable()
export class UsersRepository {
  /**
   * Rewrites the filter rows of one user's multi-valued attributes, in multi-row
   * INSERTs of at most MULTI_VALUE_BATCH rows, so that no statement nears SQLite's
   * bound-parameter limit whatever MAX_VALUES_PER_ATTRIBUTE allows.
   */
  async writeMultiValues(uow: UnitOfWork, id: string, rows: readonly MultiValueRow[]): Promise<void> {
    await this.deleteMultiValues(uow, id);
    await this.insertMultiValues(uow, id, rows);
  }

  /** The filter rows of a user that has none yet (a create): no delete first. */
  async insertMultiValues(uow: UnitOfWork, id: string, rows: readonly MultiValueRow[]): Promise<void> {
    const s = uow.scope;
    for (const batch of inBatches(rows, MULTI_VALUE_BATCH)) {
      const values = batch.map(
        (_, i) => `$1, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6}, $${i * 6 + 7}`,
      );
      const params = batch.flatMap((r) => [r.attr, r.idx, r.valueKey, r.typeKey, r.displayKey, r.isPrimary]);
      await uow.query(
        s.insertInto('multi_values', 'resource_id, attr, idx, value_key, type_key, display_key, is_primary', values),
        [id, ...params],
      );
    }
  }

  async deleteMultiValues(uow: UnitOfWork, id: string): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.deleteFrom('multi_values')} WHERE ${s.where('multi_values')} AND resource_id = $1`, [id]);
  }
}
