import type { SqlParam } from '../sql-reader.js';

/** Injection token of the one SqlDialect of this process. */
export const SQL_DIALECT = Symbol('SQL_DIALECT');

export type DialectName = 'sqlite' | 'postgres';

/**
 * Row locks a write takes (PostgreSQL): `update` for rows about to be deleted,
 * `noKeyUpdate` for rows updated in place (their id never changes, so KEY SHARE
 * readers need not wait), `keyShare` for rows that a new reference points to.
 */
export type RowLock = 'update' | 'noKeyUpdate' | 'keyShare';

/** Dialect-specific JSON access to the `doc` column and to array elements. */
export interface JsonSql {
  /** The text (or, on SQLite, the scalar) at `path` in a JSON document expression. */
  text(doc: string, path: readonly string[]): string;
  /** Is there a non-null JSON value at `path` (for `pr` on complex attributes)? */
  present(doc: string, path: readonly string[]): string;
  /** FROM clause over the elements of the array at `path`; the alias exposes `elementText(alias, sub)`. */
  elements(doc: string, path: readonly string[], alias: string): string;
  /** The text of an element's sub-attribute, or of the element itself when `sub` is ''. */
  elementText(alias: string, sub: string): string;
  /** Casts JSON text to a boolean or number where the dialect needs it (SQLite's json_extract is typed). */
  typed(expr: string, kind: 'boolean' | 'number'): string;
}

/**
 * Everything that differs between SQLite and PostgreSQL above the drivers. SQL is
 * written once with $n placeholders; repositories and services ask this object for the
 * parts that differ and never branch on the database themselves.
 */
export interface SqlDialect {
  readonly name: DialectName;
  /** One writer at a time (SQLite): write transactions are queued in-process. */
  readonly singleWriter: boolean;
  /** SQLite's LIKE ignores ASCII case, so case-exact LIKE terms need an exact check too. */
  readonly likeIgnoresCase: boolean;
  readonly json: JsonSql;
  /** The clause appended to a SELECT to lock its rows (' FOR …'), or '' where writes are serial. */
  lock(kind: RowLock, options?: { readonly nowait?: boolean }): string;
  /**
   * The ids `idsSql` selects, as a subselect over `from` (a scoped table, with its scope
   * predicate `where`) that first locks those rows in id order (no key update), so set-based
   * bumps never lock in a cycle; `idsSql` itself where writes are serial.
   */
  lockedIds(from: string, where: string, idsSql: string, nowait?: boolean): string;
  /**
   * A statement that takes a transaction-scoped advisory lock on `$1` (released at commit),
   * or undefined where writes are serial and no lock is needed.
   */
  readonly advisoryTransactionLockSql: string | undefined;
  /** ` ON CONFLICT (target) DO NOTHING`: the insert-if-absent form (both dialects spell it alike). */
  onConflictDoNothing(target?: string): string;
  /** A value as the driver receives it (SQLite has no boolean: 0/1). The one place values are converted. */
  bindValue(value: SqlParam): unknown;
  /** The statement and parameters as the driver takes them. */
  toDriverQuery(sql: string, params: readonly SqlParam[]): [string, unknown[]];
}
