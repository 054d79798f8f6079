import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows belong to a directory. */
const TABLES = ['users', 'groups', 'group_members', 'multi_values'] as const;

interface IndexShape {
  readonly name: string;
  readonly table: (typeof TABLES)[number];
  readonly columns: string;
  readonly unique?: boolean;
}

/** Every unique and lookup index of the resource tables, as it was before directories. */
const INDEXES: readonly IndexShape[] = [
  { name: 'uq_users_user_name_key', table: 'users', columns: 'user_name_key', unique: true },
  { name: 'ix_users_external_id', table: 'users', columns: 'external_id' },
  { name: 'ix_users_display_name_key', table: 'users', columns: 'display_name_key' },
  { name: 'ix_users_last_modified', table: 'users', columns: 'last_modified' },
  { name: 'ix_users_created_id', table: 'users', columns: 'created, id' },
  { name: 'ix_groups_external_id', table: 'groups', columns: 'external_id' },
  { name: 'ix_groups_display_name_key', table: 'groups', columns: 'display_name_key' },
  { name: 'ix_groups_display_name_key_id', table: 'groups', columns: 'display_name_key, id' },
  { name: 'ix_groups_last_modified', table: 'groups', columns: 'last_modified' },
  { name: 'ix_groups_created_id', table: 'groups', columns: 'created, id' },
  { name: 'ix_group_members_member_id', table: 'group_members', columns: 'member_id' },
  { name: 'ix_multi_values_attr_value', table: 'multi_values', columns: 'attr, value_key' },
];

/** Rows the SQLite statistics below assume a table to hold. */
const ASSUMED_ROWS = 1_000_000;

/**
 * sqlite_stat1 `stat` of an index (rows, then rows per distinct prefix of 1..n columns):
 * one directory holding every row (the default deployment, the worst case for a directory
 * prefix), `attr` naming a tenth of the rows, every other column nearly unique.
 */
function assumedStat(index: IndexShape): string {
  const perColumn = index.columns.split(', ').map((c) => (c === 'attr' ? ASSUMED_ROWS / 10 : 1));
  return [ASSUMED_ROWS, ASSUMED_ROWS, ...perColumn].join(' ');
}

const create = (index: IndexShape, columns: string): string =>
  `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.name} ON ${index.table} (${columns})`;

/**
 * Every resource row belongs to a directory: `directory_id` on users, groups, group_members
 * and multi_values (existing rows are the default directory's, id 1), and it leads every
 * unique and lookup index, so uniqueness (userName) holds per directory and every lookup
 * is an index probe under the directory's prefix, costing the same with 1,000 directories
 * as with one. Resource ids stay globally unique: the primary keys are unchanged, and the
 * lookups by id (or by group_id, resource_id) probe them and check the directory on the row.
 * No foreign key to `directories`: SQLite cannot add one with a non-NULL default, and a
 * purged directory's rows are deleted by the purge.
 *
 * SQLite without statistics takes an equality on an index's first column to select about
 * ten rows, so `directory_id = 1` would make the keyset index (directory_id, created, id)
 * look as selective as a userName probe, and a filtered list would walk a directory in
 * created order instead of probing the filter's index. The migration therefore writes
 * sqlite_stat1 rows for these indexes (SQLite documents hand-written statistics as a way
 * to steer its planner) stating that one directory may hold every row; an ANALYZE later
 * replaces them with measured ones. PostgreSQL keeps statistics of its own.
 */
export class DirectoryColumns1764200000000 implements MigrationInterface {
  name = 'DirectoryColumns1764200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES)
      await q.query(`ALTER TABLE ${table} ADD COLUMN directory_id integer NOT NULL DEFAULT 1`);
    for (const index of INDEXES) {
      await q.query(`DROP INDEX ${index.name}`);
      await q.query(create(index, `directory_id, ${index.columns}`));
    }
    if (q.connection.options.type !== 'postgres') await this.writeSqliteStats(q);
  }

  /** `ANALYZE sqlite_schema` creates sqlite_stat1 if needed and makes the connection read it again. */
  private async writeSqliteStats(q: QueryRunner): Promise<void> {
    await q.query('ANALYZE sqlite_schema');
    await this.dropSqliteStats(q);
    for (const index of INDEXES) {
      await q.query('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)', [
        index.table,
        index.name,
        assumedStat(index),
      ]);
    }
    await q.query('ANALYZE sqlite_schema');
  }

  private async dropSqliteStats(q: QueryRunner): Promise<void> {
    const names = INDEXES.map((index) => `'${index.name}'`).join(', ');
    await q.query(`DELETE FROM sqlite_stat1 WHERE idx IN (${names})`);
  }

  /** Refused while a directory other than the default holds rows: merged, they could break uniqueness silently. */
  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      const rows = (await q.query(`SELECT 1 AS hit FROM ${table} WHERE directory_id <> 1 LIMIT 1`)) as unknown[];
      if (rows.length > 0) throw new Error(`${this.name}: ${table} holds rows of other directories; purge them first`);
    }
    for (const index of INDEXES) {
      await q.query(`DROP INDEX ${index.name}`);
      await q.query(create(index, index.columns));
    }
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN directory_id`);
    if (q.connection.options.type !== 'postgres') {
      await this.dropSqliteStats(q);
      await q.query('ANALYZE sqlite_schema');
    }
  }
}
