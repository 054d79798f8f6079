import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { closeMigrationDatabase, newMigrationTarget, openMigrationDatabase } from '../setup/migration-database.js';
import { usingPostgres } from '../setup/test-app.js';

const PREVIOUS = MIGRATIONS.filter((m) => m.name !== 'IdentifierKeys1764000000000');
const legacyFold = (v: string): string => v.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase();

describe('Migration 1764000000000: identifier keys', () => {
  const target = newMigrationTarget();
  let db: DataSource;
  const run = (sql: string, params: SqlParam[] = []) =>
    db.query(...toDriverQuery(usingPostgres() ? 'postgres' : 'sqlite', sql, params));
  const warnings: string[] = [];

  const insertUser = (
    id: string,
    userName: string,
    created: string,
    displayName: string | null = null,
    doc: object = {},
  ) =>
    run(
      `INSERT INTO users (id, user_name, user_name_key, display_name, display_name_key, created, last_modified, version, doc)
      VALUES ($1, $2, $3, $4, $5, $6, $6, 1, $7)`,
      [
        id,
        userName,
        legacyFold(userName),
        displayName,
        displayName === null ? null : legacyFold(displayName),
        created,
        JSON.stringify({ userName, ...doc }),
      ],
    );

  before(async () => {
    db = await openMigrationDatabase(target, PREVIOUS, true);
    await db.runMigrations({ transaction: 'all' });
    // Rows as the previous key rule stored them: the variants of "alice" all had keys of their own.
    await insertUser('u-alice-space', 'alice ', '2025-01-01T00:00:00.000Z');
    await insertUser('u-alice', 'alice', '2025-01-02T00:00:00.000Z');
    await insertUser('u-alice-zw', 'ali\u200bce', '2025-01-03T00:00:00.000Z');
    await insertUser('u-bob-b', '\ufeffbob', '2025-02-01T00:00:00.000Z');
    await insertUser('u-bob-a', 'Bob\u200d', '2025-02-01T00:00:00.000Z');
    await insertUser('u-carol', ' Carol ', '2025-03-01T00:00:00.000Z', '\u200bCarol C ', {
      emails: [{ value: ' Carol@Example.com ', type: 'Work\u200b' }],
    });
    await run(
      `INSERT INTO multi_values (resource_id, attr, idx, value_key, type_key, display_key, is_primary)
      VALUES ('u-carol', 'emails', 0, $1, $2, NULL, $3)`,
      [legacyFold(' Carol@Example.com '), legacyFold('Work\u200b'), false],
    );
    await run(
      `INSERT INTO groups (id, display_name, display_name_key, created, last_modified, version, doc)
      VALUES ('g-1', $1, $2, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 1, '{}')`,
      [' Admins\ufeff', legacyFold(' Admins\ufeff')],
    );
    // An index over scim_fold() must not keep keys of the old rule, also for rows the migration does not rewrite.
    await insertUser('u-ext', 'ext', '2025-04-01T00:00:00.000Z');
    await run("UPDATE users SET external_id = ' Ext\u200b ' WHERE id = 'u-ext'");
    await run('CREATE INDEX ix_test_fold ON users (scim_fold(external_id))');
    await db.destroy();

    db = await openMigrationDatabase(target, MIGRATIONS);
    const warn = mock.method(console, 'warn', (message: string) => {
      warnings.push(message);
    });
    try {
      const applied = await db.runMigrations({ transaction: 'all' });
      assert.deepEqual(
        applied.map((m) => m.name),
        ['IdentifierKeys1764000000000'],
      );
    } finally {
      warn.mock.restore();
    }
  });

  after(async () => {
    await closeMigrationDatabase(db, target);
  });

  const keys = async (): Promise<Record<string, string>> => {
    const rows: { id: string; user_name_key: string }[] = await run('SELECT id, user_name_key FROM users ORDER BY id');
    return Object.fromEntries(rows.map((r) => [r.id, r.user_name_key]));
  };

  it('recomputes keys with the new rule; in a collision the row holding the key, else the oldest (created, then id), gets it', async () => {
    assert.deepEqual(await keys(), {
      // "alice" already holds the new key unchanged, so the older "alice " cannot take it.
      'u-alice': 'alice',
      'u-alice-space': 'alice ',
      'u-alice-zw': 'ali\u200bce',
      // Same created: the lower id is the older.
      'u-bob-a': 'bob',
      'u-bob-b': '\ufeffbob',
      'u-carol': 'carol',
      'u-ext': 'ext',
    });
  });

  it('logs each row left on its old key with its id and the id holding the new key', () => {
    assert.equal(warnings.length, 3, warnings.join('\n'));
    for (const [kept, holder] of [
      ['u-alice-space', 'u-alice'],
      ['u-alice-zw', 'u-alice'],
      ['u-bob-b', 'u-bob-a'],
    ]) {
      assert.ok(
        warnings.some((w) => w.includes(`user ${kept} `) && w.includes(`user ${holder};`)),
        `${kept}: ${warnings.join('\n')}`,
      );
    }
  });

  it('recomputes displayName and multi_values keys too, and stores values as they were', async () => {
    const [user] = await run("SELECT user_name, display_name, display_name_key FROM users WHERE id = 'u-carol'");
    assert.deepEqual(
      { ...user },
      { user_name: ' Carol ', display_name: '\u200bCarol C ', display_name_key: 'carol c' },
    );
    const [mv] = await run("SELECT value_key, type_key FROM multi_values WHERE resource_id = 'u-carol'");
    assert.deepEqual({ ...mv }, { value_key: 'carol@example.com', type_key: 'work' });
    const [group] = await run("SELECT display_name, display_name_key FROM groups WHERE id = 'g-1'");
    assert.deepEqual({ ...group }, { display_name: ' Admins\ufeff', display_name_key: 'admins' });
  });

  it('rebuilds an index over scim_fold(): lookups through it find the new keys', async () => {
    if (usingPostgres()) await run('SET enable_seqscan = off');
    const rows: { id: string }[] = await run("SELECT id FROM users WHERE scim_fold(external_id) = 'ext'");
    if (usingPostgres()) await run('RESET enable_seqscan');
    assert.deepEqual(
      rows.map((r) => r.id),
      ['u-ext'],
    );
  });

  it('scim_fold() in SQL follows the new rule on this database', async () => {
    const [row] = await run('SELECT scim_fold($1) AS k', ['\u3000Stra\u00dfe\u200b ']);
    assert.equal(row.k, usingPostgres() ? 'straße' : 'strasse');
  });

  it('reverts to the previous rule (keys and scim_fold) on the way down', async () => {
    await db.undoLastMigration({ transaction: 'all' });
    const rows: { id: string; user_name: string; user_name_key: string }[] = await run(
      'SELECT id, user_name, user_name_key FROM users',
    );
    for (const row of rows) assert.equal(row.user_name_key, legacyFold(row.user_name), row.id);
    const [mv] = await run("SELECT value_key, type_key FROM multi_values WHERE resource_id = 'u-carol'");
    assert.deepEqual({ ...mv }, { value_key: legacyFold(' Carol@Example.com '), type_key: legacyFold('Work\u200b') });
    if (usingPostgres()) {
      const [row] = await run('SELECT scim_fold($1) AS k', [' A\u200b']);
      assert.equal(row.k, ' a\u200b');
    }
  });
});
