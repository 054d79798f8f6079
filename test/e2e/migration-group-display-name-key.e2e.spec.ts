import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { closeMigrationDatabase, newMigrationTarget, openMigrationDatabase } from '../setup/migration-database.js';
import { usingPostgres } from '../setup/test-app.js';

const NAME = 'GroupDisplayNameKey1764600000000';
const AT = MIGRATIONS.findIndex((m) => m.name === NAME);
const PREVIOUS = MIGRATIONS.slice(0, AT);
const THROUGH = MIGRATIONS.slice(0, AT + 1);
const NOW = '2025-01-01T00:00:00.000Z';

describe('Migration 1764600000000: group displayName key', () => {
  const target = newMigrationTarget();
  let db: DataSource;
  const warnings: string[] = [];
  const run = (sql: string, params: SqlParam[] = []): Promise<Record<string, unknown>[]> =>
    db.query(...toDriverQuery(usingPostgres() ? 'postgres' : 'sqlite', sql, params));
  const insertDirectory = (id: number, slug: string, settings: string) =>
    run(
      `INSERT INTO directories (id, slug, display_name, settings, disabled, created, last_modified, version)
       VALUES ($1, $2, $3, $4, $5, $6, $6, 1)`,
      [id, slug, slug, settings, false, NOW],
    );
  const insertGroup = (id: string, directory: number, name: string, key: string) =>
    run(
      `INSERT INTO groups (id, directory_id, display_name, display_name_key, created, last_modified, version, doc)
       VALUES ($1, $2, $3, $4, $5, $5, 1, '{}')`,
      [id, directory, name, key, NOW],
    );
  const keys = async (directory: number): Promise<unknown[]> =>
    (await run('SELECT display_name_unique_key AS k FROM groups WHERE directory_id = $1 ORDER BY id', [directory])).map(
      (r) => r['k'],
    );
  const settings = async (directory: number): Promise<unknown> =>
    JSON.parse(String((await run('SELECT settings FROM directories WHERE id = $1', [directory]))[0]?.['settings']));

  before(async () => {
    db = await openMigrationDatabase(target, PREVIOUS, true);
    await db.runMigrations({ transaction: 'all' });
    await insertDirectory(2, 'dups', '{"patchLenient":false}');
    await insertDirectory(3, 'off', '{"groupDisplayNameUnique":false}');
    await insertDirectory(4, 'plain', '{}');
    await insertGroup('g-1', 1, 'Staff', 'staff');
    await insertGroup('g-2', 1, 'Sales', 'sales');
    await insertGroup('g-3', 2, 'Ops', 'ops');
    await insertGroup('g-4', 2, 'OPS', 'ops');
    await insertGroup('g-5', 3, 'Staff', 'staff');
    await insertGroup('g-6', 4, 'Staff', 'staff');
    await db.destroy();
    db = await openMigrationDatabase(target, THROUGH);
    const warn = console.warn;
    console.warn = (message: unknown) => warnings.push(String(message));
    try {
      const applied = await db.runMigrations({ transaction: 'all' });
      assert.deepEqual(
        applied.map((m) => m.name),
        [NAME],
      );
    } finally {
      console.warn = warn;
    }
  });

  after(async () => {
    await closeMigrationDatabase(db, target);
  });

  it('turns the setting off, and says so, only where two groups share a displayName; fills the keys where it is on', async () => {
    assert.deepEqual(await settings(2), { patchLenient: false, groupDisplayNameUnique: false });
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /directory 2 \(dups\).*groupDisplayNameUnique is now false/);
    assert.deepEqual(await keys(2), [null, null]);
    assert.deepEqual(await settings(3), { groupDisplayNameUnique: false });
    assert.deepEqual(await keys(3), [null]);
    assert.deepEqual(await settings(1), {});
    assert.deepEqual(await keys(1), ['staff', 'sales']);
    assert.deepEqual(await settings(4), {});
    assert.deepEqual(await keys(4), ['staff']);
  });

  it('the unique index refuses a second key in a directory, never a NULL one nor the same key elsewhere', async () => {
    const insert = (id: string, directory: number, key: string | null) =>
      run(
        `INSERT INTO groups (id, directory_id, display_name, display_name_key, display_name_unique_key, created, last_modified, version, doc)
         VALUES ($1, $2, 'x', 'x', $3, $4, $4, 1, '{}')`,
        [id, directory, key, NOW],
      );
    await assert.rejects(insert('g-7', 1, 'staff'));
    await insert('g-8', 2, null);
    await insert('g-9', 3, 'staff');
    await run("DELETE FROM groups WHERE id IN ('g-8', 'g-9')");
  });

  it('down drops the column and its index', async () => {
    await db.undoLastMigration({ transaction: 'all' });
    const columns = usingPostgres()
      ? await run(
          `SELECT column_name AS name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'groups'`,
        )
      : await run(`SELECT name FROM pragma_table_info('groups')`);
    assert.ok(!columns.some((c) => c['name'] === 'display_name_unique_key'));
  });
});
