import type { UnitOfWork } from '../database/unit-of-work.js';

/** How many equal displayNames a refused switch names at most. */
const NAMED_DUPLICATES = 3;

/**
 * The `display_name_unique_key` column of a directory's groups (its unique index refuses a
 * second group of one displayName), filled or cleared as the directory's
 * `groupDisplayNameUnique` setting turns on or off. Each is one UPDATE statement over the
 * directory's index prefix, in the unit of work that changes the setting.
 */
export class GroupNameKeysRepository {
  /** displayNames (as stored) that two or more groups of the directory share, at most NAMED_DUPLICATES. */
  async duplicates(uow: UnitOfWork): Promise<string[]> {
    const s = uow.scope;
    const rows = await uow.query<{ name: string }>(
      `SELECT MIN(display_name) AS name FROM ${s.from('groups')} WHERE ${s.where('groups')}
       GROUP BY display_name_key HAVING COUNT(*) > 1 ORDER BY MIN(display_name) LIMIT $1`,
      [NAMED_DUPLICATES],
    );
    return rows.map((r) => String(r.name));
  }

  /** Every group's key set from its displayName's (display_name_key: the same fold). */
  async fill(uow: UnitOfWork): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.update('groups')} display_name_unique_key = display_name_key WHERE ${s.where('groups')}`, []);
  }

  async clear(uow: UnitOfWork): Promise<void> {
    const s = uow.scope;
    await uow.query(
      `${s.update('groups')} display_name_unique_key = NULL WHERE ${s.where('groups')} AND display_name_unique_key IS NOT NULL`,
      [],
    );
  }
}
