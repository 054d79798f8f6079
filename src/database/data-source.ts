import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { MIGRATIONS } from './migrations/index.js';
import { registerSqliteFunctions, type SqliteHandle } from './sqlite-functions.js';

/** WAL so readers never block the writer; a busy timeout instead of SQLITE_BUSY errors. */
function prepareSqlite(db: SqliteHandle): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  registerSqliteFunctions(db);
}

/** A migration class, as TypeORM instantiates it. */
export type MigrationClass = new () => MigrationInterface;

/**
 * The one DataSource definition, shared by the application and ormconfig.ts (the
 * TypeORM CLI). Schema changes only through migrations: synchronize is never on.
 * `extraMigrations` (the tables of resource types registered besides the built-in ones)
 * run after the built-in migrations.
 */
export function buildDataSourceOptions(
  config: AppConfig,
  extraMigrations: readonly MigrationClass[] = [],
): DataSourceOptions {
  const migrations: MigrationClass[] = [...MIGRATIONS, ...extraMigrations];
  const common = {
    // No entities: the migrations are the schema (docs/architecture.md, "Schema source of truth").
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (config.database.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.database.url,
      poolSize: config.database.poolSize,
      extra: {
        max: config.database.poolSize,
        statement_timeout: config.database.statementTimeoutMs || undefined,
        application_name: 'scim-server',
      },
    };
  }
  const path = config.database.path;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: path,
    prepareDatabase: (db: SqliteHandle) => prepareSqlite(db),
  };
}
