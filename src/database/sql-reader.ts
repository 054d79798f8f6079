import Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { dialectFor } from './dialect/dialect.provider.js';
import type { DialectName, SqlDialect } from './dialect/sql-dialect.js';
import { SQLITE_DIALECT } from './dialect/sqlite.dialect.js';
import { scanError } from './query-timeout.js';
import { registerSqliteFunctions } from './sqlite-functions.js';
import { SqliteReadPool } from './sqlite-read-pool.js';

/** Injection token of the SqlReader. */
export const SQL_READER = Symbol('SQL_READER');

export type SqlParam = string | number | boolean | null;
export type SqlRow = Record<string, unknown>;

/**
 * Prepared-statement reads for the hot paths (GET by id, lists), bypassing entity
 * hydration. SQL is written once with PostgreSQL placeholders ($1, $2, …); see toDriverQuery
 * for how SQLite receives them.
 */
export interface SqlReader {
  /**
   * `name` marks a fixed hot statement to keep prepared on PostgreSQL; dynamic SQL
   * (filters) passes undefined, so clients cannot make the server hoard statements.
   */
  all<T extends object = SqlRow>(name: string | undefined, sql: string, params: readonly SqlParam[]): Promise<T[]>;
  /**
   * A list or search read, bounded by QUERY_TIMEOUT_MS (503 beyond it): PostgreSQL's statement_timeout, SQLite's read pool.
   * On SQLite a read that can scan (`indexed` false) runs off the main thread, so the
   * event loop stays free; index probes run in place, which is fastest.
   */
  list<T extends object = SqlRow>(sql: string, params: readonly SqlParam[], indexed: boolean): Promise<T[]>;
  /** Sees every statement before it runs (query logging, and tests that count statements). */
  observe(observer: ((sql: string, params: readonly SqlParam[]) => void) | undefined): void;
  close(): Promise<void>;
}

abstract class ObservedReader {
  protected observer: ((sql: string, params: readonly SqlParam[]) => void) | undefined;

  observe(observer: ((sql: string, params: readonly SqlParam[]) => void) | undefined): void {
    this.observer = observer;
  }
}

const STATEMENT_CACHE_SIZE = 500;

/** The statement as the driver takes it: a dialect object, or its name where code has only that. */
export function toDriverQuery(
  dialect: DialectName | SqlDialect,
  sql: string,
  params: readonly SqlParam[],
): [string, unknown[]] {
  return (typeof dialect === 'string' ? dialectFor(dialect) : dialect).toDriverQuery(sql, params);
}

class SqliteReader extends ObservedReader implements SqlReader {
  private readonly statements = new Map<string, Database.Statement>();

  // A connection of its own, so reads see only committed data while a write
  // transaction on TypeORM's connection is between two of its statements (WAL).
  constructor(
    private readonly db: Database.Database,
    private readonly ownsConnection: boolean,
    private readonly pool?: SqliteReadPool,
  ) {
    super();
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async turns a synchronous driver throw into a rejection, which list() relies on
  async all<T extends object = SqlRow>(
    _name: string | undefined,
    sql: string,
    params: readonly SqlParam[],
  ): Promise<T[]> {
    this.observer?.(sql, params);
    const [text, bound] = SQLITE_DIALECT.toDriverQuery(sql, params);
    let statement = this.statements.get(text);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement.all(...bound) as T[];
  }

  async list<T extends object = SqlRow>(sql: string, params: readonly SqlParam[], indexed: boolean): Promise<T[]> {
    if (indexed || !this.pool) return this.all<T>(undefined, sql, params);
    this.observer?.(sql, params);
    const [text, bound] = SQLITE_DIALECT.toDriverQuery(sql, params);
    return (await this.pool.run(text, bound)) as T[];
  }

  async close(): Promise<void> {
    await this.pool?.close();
    if (this.ownsConnection) this.db.close();
  }
}

class PostgresReader extends ObservedReader implements SqlReader {
  constructor(
    private readonly pool: Pool,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  /**
   * statement_timeout set for one read-only transaction makes the server itself cancel
   * the statement (a client-side timeout would leave it running).
   */
  async list<T extends object = SqlRow>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
    if (this.timeoutMs === 0)
      return this.all<T>(undefined, sql, params).catch((error: unknown) => Promise.reject(scanError(error)));
    this.observer?.(sql, params);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.trunc(this.timeoutMs)}`);
      try {
        const result = await client.query(sql, [...params]);
        await client.query('COMMIT');
        return result.rows as T[];
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        throw scanError(error);
      }
    } finally {
      client.release(broken);
    }
  }

  async all<T extends object = SqlRow>(
    name: string | undefined,
    sql: string,
    params: readonly SqlParam[],
  ): Promise<T[]> {
    this.observer?.(sql, params);
    // A named query is prepared once per pooled connection and then reused.
    const result = name
      ? await this.pool.query({ name, text: sql, values: [...params] })
      : await this.pool.query(sql, [...params]);
    return result.rows as T[];
  }

  async close(): Promise<void> {
    // The pool belongs to TypeORM's DataSource, which closes it.
  }
}

/** How list reads are bounded: PostgreSQL's QUERY_TIMEOUT_MS; SQLite's read workers and their queue. */
export interface ReadBounds {
  readonly queryTimeoutMs: number;
  readonly sqliteReadWorkers: number;
  readonly sqliteReadQueue: number;
}

const UNBOUNDED: ReadBounds = { queryTimeoutMs: 0, sqliteReadWorkers: 0, sqliteReadQueue: 0 };

export function createSqlReader(
  dataSource: DataSource,
  sqlitePath: string | undefined,
  bounds: ReadBounds = UNBOUNDED,
): SqlReader {
  if (dataSource.options.type === 'postgres') {
    const driver = dataSource.driver as unknown as { master: Pool };
    return new PostgresReader(driver.master, bounds.queryTimeoutMs);
  }
  if (!sqlitePath || sqlitePath === ':memory:') {
    // An in-memory database exists only on TypeORM's own connection.
    const driver = dataSource.driver as unknown as { databaseConnection: Database.Database };
    return new SqliteReader(driver.databaseConnection, false);
  }
  const db = new Database(sqlitePath, { readonly: true });
  db.pragma('busy_timeout = 5000');
  registerSqliteFunctions(db);
  const pool =
    bounds.sqliteReadWorkers > 0
      ? new SqliteReadPool(sqlitePath, bounds.sqliteReadWorkers, bounds.sqliteReadQueue, bounds.queryTimeoutMs)
      : undefined;
  return new SqliteReader(db, true, pool);
}
