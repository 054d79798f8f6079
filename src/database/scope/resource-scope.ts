import { DEFAULT_DIRECTORY, type DirectoryRef } from '../../common/http/scim-context.js';

/**
 * The tables SQL names only through this builder (test/static/scoped-sql.spec.ts fails on
 * any other): every resource table's rows belong to a directory (tenant), and the directory
 * predicate reaches every statement from this one file.
 */
export type BuiltInTable = 'users' | 'groups' | 'group_members' | 'multi_values' | 'api_tokens' | 'server_state';

declare const registered: unique symbol;

/** The table of a registered resource type definition (its `storage.table`), checked by registeredTable(). */
export type RegisteredTable = string & { readonly [registered]: true };

export type ScopedTable = BuiltInTable | RegisteredTable;

const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A definition's table or column name, which is written into SQL text: only a plain
 * lower-case identifier is accepted, so a definition can never inject SQL.
 */
export function sqlIdentifier(name: string): string {
  if (!SQL_IDENTIFIER.test(name)) throw new Error(`'${name}' is not a plain SQL identifier`);
  return name;
}

/** A resource type's table as the scope accepts it: the name comes from the definition, never a literal. */
export function registeredTable(storage: { readonly table: string }): RegisteredTable {
  return sqlIdentifier(storage.table) as RegisteredTable;
}

/** Tables whose rows are not resource rows: no directory predicate (their code handles a directory itself). */
const UNSCOPED: ReadonlySet<ScopedTable> = new Set<ScopedTable>(['api_tokens', 'server_state']);

export type UnscopedTable = 'api_tokens' | 'server_state';

/**
 * Tables whose rows a soft delete keeps (`deleted_at` set, deletionPolicy "soft"): where()
 * hides those rows from every statement, so a deleted resource is 404 everywhere
 * (RFC 7644 §3.6). Their unique and lookup indexes are partial on `deleted_at IS NULL`
 * (migration 1764700000000), which the predicate matches, so lookups keep probing them.
 */
const KEEPS_DELETED: ReadonlySet<ScopedTable> = new Set<ScopedTable>(['users', 'groups']);

/**
 * The query scope of one directory: FROM/JOIN text, the predicate to AND into WHERE
 * (`alias.directory_id = <id>`), and the heads of INSERT (which writes directory_id),
 * UPDATE and DELETE statements. Every resource table carries `directory_id` as the leading
 * column of its unique and lookup indexes, so the predicate is an index prefix: a lookup
 * costs the same however many directories there are. The id is written as an integer
 * literal, not bound (docs/architecture.md, "Scoped query building"): it comes from the
 * directories table, never from a client, and is checked to be a safe positive integer.
 * One instance per directory, so statements built from it can be cached on it.
 */
export class ResourceScope {
  private static readonly byDirectory = new Map<number, ResourceScope>();
  private readonly statements = new Map<(scope: ResourceScope) => string, string>();
  private readonly id: string;

  /** Only the id: a scope outlives changes to its directory's settings, which the request context carries. */
  private constructor(readonly directoryId: number) {
    if (!Number.isSafeInteger(directoryId) || directoryId < 1)
      throw new Error(`directory id ${String(directoryId)} is not a positive integer`);
    this.id = String(directoryId);
  }

  /**
   * The scope of a directory: one shared instance per id, so at most one per row the
   * directories table has held since start (a few hundred bytes and its cached statements each).
   */
  static of(directory: DirectoryRef = DEFAULT_DIRECTORY): ResourceScope {
    let scope = ResourceScope.byDirectory.get(directory.id);
    if (!scope) {
      scope = new ResourceScope(directory.id);
      ResourceScope.byDirectory.set(directory.id, scope);
    }
    return scope;
  }

  /** `users u`: a table for FROM or JOIN, with its alias. */
  from(table: ScopedTable, alias?: string): string {
    return alias ? `${table} ${alias}` : table;
  }

  /** Whether `table` keeps soft-deleted rows (it has `deleted_at`). */
  static keepsDeleted(table: ScopedTable): boolean {
    return KEEPS_DELETED.has(table);
  }

  /**
   * The condition that keeps rows of `table` (as `alias`) inside this directory, to AND into
   * WHERE; for a table that keeps soft-deleted rows, only the live ones.
   */
  where(table: ScopedTable, alias?: string): string {
    if (UNSCOPED.has(table)) return '1 = 1';
    const a = alias ?? table;
    return KEEPS_DELETED.has(table)
      ? `${a}.directory_id = ${this.id} AND ${a}.deleted_at IS NULL`
      : `${a}.directory_id = ${this.id}`;
  }

  /** Only this directory's soft-deleted rows of `table` (the admin API of deleted resources, their purge). */
  whereDeleted(table: ScopedTable, alias?: string): string {
    if (!KEEPS_DELETED.has(table)) throw new Error(`${table} keeps no deleted rows`);
    const a = alias ?? table;
    return `${a}.directory_id = ${this.id} AND ${a}.deleted_at IS NOT NULL`;
  }

  /** Every row of `table` in this directory, live or soft-deleted: only for purging the whole directory. */
  whereAll(table: ScopedTable, alias?: string): string {
    if (UNSCOPED.has(table)) return '1 = 1';
    return `${alias ?? table}.directory_id = ${this.id}`;
  }

  /**
   * `INSERT INTO users (directory_id, columns) VALUES (<id>, row), …`: each of `rows` is the
   * text of one row's values (`$1, $2`), to which the directory is prepended. A table
   * without a directory (api_tokens, server_state) takes the head alone and the caller
   * appends VALUES or SELECT.
   */
  insertInto(table: UnscopedTable, columns: string): string;
  insertInto(table: ScopedTable, columns: string, rows: readonly string[]): string;
  insertInto(table: ScopedTable, columns: string, rows?: readonly string[]): string {
    if (UNSCOPED.has(table)) {
      const head = `INSERT INTO ${table} (${columns})`;
      return rows ? `${head} VALUES ${rows.map((r) => `(${r})`).join(', ')}` : head;
    }
    if (!rows || rows.length === 0) throw new Error(`an insert into ${table} needs its rows`);
    return `INSERT INTO ${table} (directory_id, ${columns}) VALUES ${rows.map((r) => `(${this.id}, ${r})`).join(', ')}`;
  }

  /** `UPDATE users SET`; the caller appends the assignments and a WHERE that includes where(table). */
  update(table: ScopedTable): string {
    return `UPDATE ${table} SET`;
  }

  /** `DELETE FROM users`; the caller appends a WHERE that includes where(table). */
  deleteFrom(table: ScopedTable): string {
    return `DELETE FROM ${table}`;
  }

  /**
   * The name of a fixed statement kept prepared (PostgreSQL named statements, per
   * connection): the SQL text differs per directory, so the name does too.
   */
  statementName(base: string): string {
    return `${base}@${this.id}`;
  }

  /**
   * A fixed statement built once per scope and kept: hot paths (GET by id) pay one map
   * lookup, not a string build. `build` must be a module-level function (it is the key).
   */
  statement(build: (scope: ResourceScope) => string): string {
    let sql = this.statements.get(build);
    if (sql === undefined) {
      sql = build(this);
      this.statements.set(build, sql);
    }
    return sql;
  }
}

/** The scope of the default directory, for work outside any request (start-up, CLI). */
export const DEFAULT_SCOPE = ResourceScope.of(DEFAULT_DIRECTORY);
