import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { POSTGRES_DIALECT } from './postgres.dialect.js';
import { SQL_DIALECT, type DialectName, type SqlDialect } from './sql-dialect.js';
import { SQLITE_DIALECT } from './sqlite.dialect.js';

/** The dialect object of a database type. */
export function dialectFor(name: DialectName): SqlDialect {
  return name === 'postgres' ? POSTGRES_DIALECT : SQLITE_DIALECT;
}

/** The dialect of the configured database, as the SQL_DIALECT provider. */
export const SQL_DIALECT_PROVIDER: Provider = {
  provide: SQL_DIALECT,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): SqlDialect => dialectFor(config.database.type),
};
