import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { closeMigrationDatabase, newMigrationTarget, openMigrationDatabase } from '../setup/migration-database.js';
import { usingPostgres } from '../setup/test-app.js';

const NAME = 'DirectoryColumns1764200000000';
const AT = MIGRATIONS.findIndex((m) => m.name === NAME);
const PREVIOUS = MIGRATIONS.slice(0, AT);
// Up to this migration: later ones neither run here nor stand in the way of its down().
const THROUGH = MIGRATIONS.slice(0, AT + 1);
const TABLES = ['users', 'groups', 'group_members', 'multi_values'];
const NOW = '2025-01-01T00:00:00.000Z';

describe('Migration 1764200000000: directory columns', () => {
  const target = newMigrationTarget();
  let db: DataSource;
  const run = (sql: string, params: SqlParam[] = []): Promise<Record<string, unknown>[]> =>
    db.query(...toDriverQuery(usingPostgres() ? 'postgres' : 'sqlite', sql, params));
  const insertUser = (id: string, key: string, directory?: number) =>
    run(
      `INSERT INTO users (id, ${directory ? 'directory_id, ' : ''}user_name, user_name_key, created, last_modified, version, doc)
       VALUES ($1, ${directory ? `${directory}, ` : ''}$2, $2, $3, $3, 1, '{}')`,
      [id, key, NOW],
    );
  const columnsOf = async (table: string): Promise<string[]> =>
    usingPostgres()
      ? (
          await run(
            'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
            [table],
          )
        ).map((r) => String(r['name']))
      : (await run(`SELECT name FROM pragma_table_info('${table}')`)).map((r) => String(r['name']));

  before(async () => {
    db = await openMigrationDatabase(target, PREVIOUS, true);
    await db.runMigrations({ transaction: 'all' });
    // Rows from before directories.
    await insertUser('u-1', 'alice');
    await run(
      `INSERT INTO groups (id, display_name, display_name_key, created, last_modified, version, doc)
       VALUES ('g-1', 'Staff', 'staff', $1, $1, 1, '{}')`,
      [NOW],
    );
    await run("INSERT INTO group_members (group_id, member_id, member_type) VALUES ('g-1', 'u-1', 'User')");
    await run(
      `INSERT INTO multi_values (resource_id, attr, idx, value_key, type_key, display_key, is_primary)
       VALUES ('u-1', 'emails', 0, 'alice@example.com', 'work', NULL, $1)`,
      [true],
    );
    await db.destroy();
    db = await openMigrationDatabase(target, THROUGH);
    const applied = await db.runMigrations({ transaction: 'all' });
    assert.deepEqual(
      applied.map((m) => m.name),
      [NAME],
    );
  });

  after(async () => {
    await closeMigrationDatabase(db, target);
  });

  it('keeps every existing row, in the default directory (id 1)', async () => {
    for (const table of TABLES) {
      const rows = await run(`SELECT directory_id FROM ${table}`);
      assert.deepEqual(
        rows.map((r) => Number(r['directory_id'])),
        [1],
        table,
      );
    }
    const [user] = await run("SELECT user_name, user_name_key FROM users WHERE id = 'u-1'");
    assert.deepEqual({ ...user }, { user_name: 'alice', user_name_key: 'alice' });
  });

  it('makes userName unique per directory: the same key in another directory is accepted, in the same one refused', async () => {
    await insertUser('u-2', 'alice', 2);
    await assert.rejects(insertUser('u-3', 'alice', 2));
    await assert.rejects(insertUser('u-4', 'alice'));
    await run("DELETE FROM users WHERE id = 'u-2'");
  });

  it('leads every unique and lookup index of the resource tables with directory_id', async () => {
    const indexes = usingPostgres()
      ? await run(
          `SELECT indexname AS name, indexdef AS sql FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename IN ('users', 'groups', 'group_members', 'multi_values')
              AND indexname NOT LIKE '%_pkey'`,
        )
      : await run(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
              AND tbl_name IN ('users', 'groups', 'group_members', 'multi_values')`,
        );
    assert.equal(indexes.length, 12);
    for (const index of indexes) assert.match(String(index['sql']), /\(directory_id, /, String(index['name']));
  });

  it('down is refused while another directory holds rows, then reverses the columns and indexes', async () => {
    await insertUser('u-2', 'alice', 2);
    await assert.rejects(db.undoLastMigration({ transaction: 'all' }), /holds rows of other directories/);
    assert.ok((await columnsOf('users')).includes('directory_id'));
    await run("DELETE FROM users WHERE id = 'u-2'");
    await db.undoLastMigration({ transaction: 'all' });
    for (const table of TABLES) assert.ok(!(await columnsOf(table)).includes('directory_id'), table);
    // userName is unique server-wide again.
    await assert.rejects(insertUser('u-5', 'alice'));
    const [member] = await run('SELECT group_id, member_id FROM group_members');
    assert.deepEqual({ ...member }, { group_id: 'g-1', member_id: 'u-1' });
  });
});
