import type { DataSourceOptions } from 'typeorm';
import { registerSqliteFunctions, type SqliteHandle } from '../../src/database/sqlite-functions.js';
import { usingPostgres } from './test-app.js';

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
