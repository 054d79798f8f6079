import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixtureText } from '../setup/fixtures.js';
import { lineDiff, migrateFreshDatabase, SNAPSHOT_FILES } from '../setup/schema-snapshot.js';
import { usingPostgres } from '../setup/test-app.js';

/**
 * The migrations are the schema (docs/architecture.md, "Schema source of truth"): an empty
 * database migrated to the end must have exactly the committed DDL, so a schema change
 * is always a migration plus a reviewed snapshot.
 */
describe('Schema snapshot', () => {
  const dialect = usingPostgres() ? 'postgres' : 'sqlite';

  it(`an empty ${dialect} database, migrated, matches test/fixtures/schema/${SNAPSHOT_FILES[dialect]}`, async () => {
    const fresh = await migrateFreshDatabase(dialect, process.env['DATABASE_URL']);
    let actual: string;
    try {
      actual = await fresh.snapshot();
    } finally {
      await fresh.drop();
    }
    const expected = readFixtureText('schema', SNAPSHOT_FILES[dialect]);
    if (actual !== expected) {
      assert.fail(
        `the migrated schema differs from test/fixtures/schema/${SNAPSHOT_FILES[dialect]} ` +
          '(- committed, + migrated). If the change is intended, run `npm run schema:snapshot` ' +
          `(with DATABASE_URL) and commit the snapshots with the migration:\n${lineDiff(expected, actual)}`,
      );
    }
  });
});
