import { writeFileSync } from 'node:fs';
import { fixturePath } from './fixtures.js';
import { migrateFreshDatabase, SNAPSHOT_FILES, type SnapshotDialect } from './schema-snapshot.js';

/**
 * `npm run schema:snapshot`: migrates an empty SQLite file and a fresh schema in the
 * PostgreSQL database of DATABASE_URL (created and dropped here), and writes both
 * snapshots to test/fixtures/schema/, for schema-snapshot.e2e.spec.ts to compare.
 */
async function writeSnapshot(dialect: SnapshotDialect, url?: string): Promise<void> {
  const fresh = await migrateFreshDatabase(dialect, url);
  try {
    const path = fixturePath('schema', SNAPSHOT_FILES[dialect]);
    writeFileSync(path, await fresh.snapshot());
    console.log(`wrote ${path}`);
  } finally {
    await fresh.drop();
  }
}

const url = process.env['DATABASE_URL'];
if (!url) {
  console.error(
    'schema:snapshot writes both snapshots: set DATABASE_URL to a PostgreSQL database (a schema of its own is created and dropped there)',
  );
  process.exit(1);
}
await writeSnapshot('sqlite');
await writeSnapshot('postgres', url);
