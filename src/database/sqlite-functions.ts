import { foldKey } from '../scim/resource/fold-key.js';

/** The part of a better-sqlite3 handle used to prepare a connection. */
export interface SqliteHandle {
  pragma(source: string): unknown;
  function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): unknown;
}

/** scim_fold() in SQL is the application's foldKey(), so keys computed on either side agree. */
export function registerSqliteFunctions(db: SqliteHandle): void {
  db.function('scim_fold', { deterministic: true }, (value) => (typeof value === 'string' ? foldKey(value) : value));
}
