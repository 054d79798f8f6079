import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['users', 'groups'] as const;

interface IndexShape {
  readonly name: string;
  readonly table: (typeof TABLES)[number];
  readonly columns: string;
  readonly unique?: boolean;
  /** The index's own partial predicate, which the live one is ANDed to. */
  readonly partial?: string;
}

/**
 * The unique and lookup indexes of users and groups (1764200000000-directory-columns.ts,
 * 1764600000000-group-display-name-key.ts), made partial here.
 */
const LIVE_INDEXES: readonly IndexShape[] = [
  { name: 'uq_users_user_name_key', table: 'users', columns: 'directory_id, user_name_key', unique: true },
  { name: 'ix_users_external_id', table: 'users', columns: 'directory_id, external_id' },
  { name: 'ix_users_display_name_key', table: 'users', columns: 'directory_id, display_name_key' },
  { name: 'ix_users_last_modified', table: 'users', columns: 'directory_id, last_modified' },
  { name: 'ix_users_created_id', table: 'users', columns: 'directory_id, created, id' },
  { name: 'ix_groups_external_id', table: 'groups', columns: 'directory_id, external_id' },
  { name: 'ix_groups_display_name_key', table: 'groups', columns: 'directory_id, display_name_key' },
  { name: 'ix_groups_display_name_key_id', table: 'groups', columns: 'directory_id, display_name_key, id' },
  { name: 'ix_groups_last_modified', table: 'groups', columns: 'directory_id, last_modified' },
  { name: 'ix_groups_created_id', table: 'groups', columns: 'directory_id, created, id' },
  {
    name: 'uq_groups_display_name_unique_key',
    table: 'groups',
    columns: 'directory_id, display_name_unique_key',
    unique: true,
    partial: 'display_name_unique_key IS NOT NULL',
  },
];

const LIVE = 'deleted_at IS NULL';

/** Rows the SQLite statistics assume a table to hold (as 1764200000000-directory-columns.ts does). */
const ASSUMED_ROWS = 1_000_000;

const create = (index: IndexShape, live = false): string => {
  const where = [index.partial, live ? LIVE : undefined].filter(Boolean).join(' AND ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.name} ON ${index.table} (${index.columns})${where ? ` WHERE ${where}` : ''}`;
};

/**
 * The "soft" deletion policy (RFC 7644 §3.6 still holds: a deleted resource is 404 for every
 * operation): users and groups get `deleted_at`, set when a soft delete keeps the row.
 * Their unique and lookup indexes become partial on `deleted_at IS NULL`, the predicate
 * ResourceScope.where() adds to every statement: a deleted row releases its userName at once
 * (the IdP may provision the same person again, with a new id) and costs live lookups nothing.
 * `ix_*_deleted` (directory, deleted_at, id), partial on the deleted rows, serves the admin
 * list (newest first) and the retention purge. Dropping an index drops its SQLite statistics,
 * so they are written again for the recreated ones.
 */
export class SoftDelete1764700000000 implements MigrationInterface {
  name = 'SoftDelete1764700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} ADD COLUMN deleted_at varchar(24)`);
    for (const index of LIVE_INDEXES) {
      await q.query(`DROP INDEX ${index.name}`);
      await q.query(create(index, true));
    }
    for (const table of TABLES) {
      await q.query(
        `CREATE INDEX ix_${table}_deleted ON ${table} (directory_id, deleted_at, id) WHERE deleted_at IS NOT NULL`,
      );
    }
    if (q.connection.options.type !== 'postgres') await this.writeSqliteStats(q);
  }

  /** Refused while deleted rows exist: the full unique indexes could not hold a re-provisioned userName. */
  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      const rows = (await q.query(`SELECT 1 AS hit FROM ${table} WHERE deleted_at IS NOT NULL LIMIT 1`)) as unknown[];
      if (rows.length > 0) throw new Error(`${this.name}: ${table} holds soft-deleted rows; purge them first`);
    }
    for (const table of TABLES) await q.query(`DROP INDEX ix_${table}_deleted`);
    for (const index of LIVE_INDEXES) {
      await q.query(`DROP INDEX ${index.name}`);
      await q.query(create(index));
    }
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN deleted_at`);
    if (q.connection.options.type !== 'postgres') await this.writeSqliteStats(q);
  }

  /** `ANALYZE sqlite_schema` creates sqlite_stat1 if needed and makes the connection read it again. */
  private async writeSqliteStats(q: QueryRunner): Promise<void> {
    await q.query('ANALYZE sqlite_schema');
    for (const index of LIVE_INDEXES) {
      const stat = [
        ASSUMED_ROWS,
        ASSUMED_ROWS,
        ...index.columns
          .split(', ')
          .slice(1)
          .map(() => 1),
      ].join(' ');
      await q.query('DELETE FROM sqlite_stat1 WHERE idx = ?', [index.name]);
      await q.query('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)', [index.table, index.name, stat]);
    }
    await q.query('ANALYZE sqlite_schema');
  }
}
