import { DEFAULT_DIRECTORY, type DirectoryRef } from '../../common/http/scim-context.js';

/**
 * The tables whose rows belong to a directory (tenant). SQL that names one of them is
 * built only here (test/static/scoped-sql.spec.ts fails on any other), so that the directory
 * predicate the next step adds reaches every statement from this one file.
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

/**
 * The query scope of one directory: FROM/JOIN text, the predicate to AND into WHERE, and
 * the heads of INSERT, UPDATE and DELETE statements. Today every directory is the default
 * one and the predicate is `1 = 1`; scoping by directory changes this class, not its callers.
 * One instance per directory, so statements built from it can be cached on it.
 */
export class ResourceScope {
  private static readonly byDirectory = new Map<number, ResourceScope>();
  private readonly statements = new Map<(scope: ResourceScope) => string, string>();

  private constructor(readonly directory: DirectoryRef) {}

  /** The scope of a directory (one shared instance each). */
  static of(directory: DirectoryRef = DEFAULT_DIRECTORY): ResourceScope {
    let scope = ResourceScope.byDirectory.get(directory.id);
    if (!scope) {
      scope = new ResourceScope(directory);
      ResourceScope.byDirectory.set(directory.id, scope);
    }
    return scope;
  }

  /** `users u`: a table for FROM or JOIN, with its alias. */
  from(table: ScopedTable, alias?: string): string {
    return alias ? `${table} ${alias}` : table;
  }

  /** The condition that keeps rows of `table` (as `alias`) inside this directory, to AND into WHERE. */
  where(_table: ScopedTable, _alias?: string): string {
    return '1 = 1';
  }

  /** `INSERT INTO users (columns)`; the caller appends VALUES or SELECT. */
  insertInto(table: ScopedTable, columns: string): string {
    return `INSERT INTO ${table} (${columns})`;
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
