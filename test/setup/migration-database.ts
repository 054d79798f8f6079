import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { registerSqliteFunctions, type SqliteHandle } from '../../src/database/sqlite-functions.js';
import { newSqlitePath, usingPostgres } from './test-app.js';

/**
 * A database of its own for a migration test (an SQLite file, or a PostgreSQL schema that
 * the test creates), migrated by the given list.
 */
export function migrationDatabaseOptions(
  target: string,
  migrations: DataSourceOptions['migrations'],
): DataSourceOptions {
  const common = { migrations, migrationsTableName: 'typeorm_migrations', logging: false } as const;
  if (usingPostgres()) {
    return {
      ...common,
      type: 'postgres',
      url: process.env['DATABASE_URL'],
      extra: { max: 1, options: `-c search_path=${target}` },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: target,
    prepareDatabase: (db: SqliteHandle) => registerSqliteFunctions(db),
  };
}

/** Where a migration test's database lives: a fresh PostgreSQL schema name, or a fresh SQLite file. */
export function newMigrationTarget(): string {
  return usingPostgres() ? `mig_${randomBytes(6).toString('hex')}` : newSqlitePath();
}

/**
 * Opens the migration test's database with `migrations` registered (not run). The first
 * open creates its PostgreSQL schema (`create`); a later one reopens it with a longer list.
 */
export async function openMigrationDatabase(
  target: string,
  migrations: DataSourceOptions['migrations'],
  create = false,
): Promise<DataSource> {
  if (create && usingPostgres()) {
    const admin = new DataSource({ type: 'postgres', url: process.env['DATABASE_URL'] });
    await admin.initialize();
    await admin.query(`CREATE SCHEMA ${target}`);
    await admin.destroy();
  }
  const db = new DataSource(migrationDatabaseOptions(target, migrations));
  await db.initialize();
  return db;
}

/** Drops what openMigrationDatabase made: the PostgreSQL schema, or the SQLite file's folder. */
export async function closeMigrationDatabase(db: DataSource, target: string): Promise<void> {
  if (usingPostgres()) await db.query(`DROP SCHEMA ${target} CASCADE`);
  await db.destroy();
  if (!usingPostgres()) rmSync(dirname(target), { recursive: true, force: true });
}
