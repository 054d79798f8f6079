import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import { registeredTable, ResourceScope, sqlIdentifier, type ScopedTable } from '../database/scope/resource-scope.js';
import type { SqlParam, SqlReader } from '../database/sql-reader.js';
import { runPage, type PageRequest, type PageResult, type PageSource } from '../database/sql/page-query.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { StoredRow } from '../scim/resource/scim-resource.js';
import { perRegistry } from '../scim/schema/per-registry.js';
import type { ResourceTypeDefinition } from '../scim/schema/resource-type.definition.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import type { RepositoryParts } from './resource-type.parts.js';
import { writtenColumns, type ResourceWrite } from './resource-write.mapper.js';
import { resourceTargets } from './resource.targets.js';

/** A resource row as every resource table returns it. */
export type ResourceRow = StoredRow;

/** Statement builders of one scope (ResourceScope.statement caches each one's text per scope). */
interface WriteStatements {
  readonly forUpdate: (scope: ResourceScope) => string;
  readonly insert: (scope: ResourceScope) => string;
  readonly replace: (scope: ResourceScope) => string;
}

/** What the repository needs besides the definition. */
export interface ResourceRepositoryDeps {
  readonly reader: SqlReader;
  readonly dialect: SqlDialect;
  /** FILTER_MAX_COST. */
  readonly maxFilterCost: number;
}

/**
 * The SQL of one resource type's own rows, derived from its definition's storage: the
 * table and alias, the columns derived from the document, and the filter targets (a
 * column where the definition gives one, the JSON document otherwise). Every statement is
 * built through the ResourceScope; reads take the scope, writes the unit of work.
 */
export class ResourceRepository {
  private readonly table: ScopedTable;
  private readonly alias: string;
  private readonly rowColumns: string;
  private readonly lockedColumns: string;
  private readonly written: readonly string[];
  private readonly writtenIndex: ReadonlyMap<string, number>;
  private readonly sql: WriteStatements;
  private readonly byIdName: string;
  private readonly byIdSql: (scope: ResourceScope) => string;
  /** The filter targets may follow the schema and read the directory's rows: one page source per registry and scope. */
  private readonly pageSources: (registry: SchemaRegistry) => WeakMap<ResourceScope, PageSource>;
  private readonly newPageSource: (registry: SchemaRegistry, scope: ResourceScope) => PageSource;

  constructor(
    readonly definition: ResourceTypeDefinition,
    private readonly deps: ResourceRepositoryDeps,
    parts: RepositoryParts = {},
  ) {
    const { storage } = definition;
    this.table = registeredTable(storage);
    const a = (this.alias = sqlIdentifier(storage.alias));
    this.rowColumns = `${a}.id, ${a}.doc, ${a}.version, ${a}.created, ${a}.last_modified`;
    const extra = parts.extraColumns ?? [];
    this.written = [...extra, ...writtenColumns(storage).map((c) => c.column)].map(sqlIdentifier);
    this.writtenIndex = new Map(this.written.map((c, i) => [c, i]));
    this.lockedColumns = [this.rowColumns, ...(parts.lockedColumns ?? []).map((c) => `${a}.${sqlIdentifier(c)}`)].join(
      ', ',
    );
    this.sql = this.writeStatements();
    const derived = resourceTargets(definition, deps.dialect);
    this.byIdName = `${storage.table}_by_id`;
    // One closure per repository: scope.statement() caches the text under it.
    this.byIdSql = (s) =>
      `SELECT ${this.rowColumns} FROM ${s.from(this.table, a)} WHERE ${s.where(this.table, a)} AND ${a}.id = $1`;
    const notNull = new Set(
      ['id', 'created', 'last_modified', ...(parts.notNullColumns ?? [])].map((c) => `${a}.${sqlIdentifier(c)}`),
    );
    this.pageSources = perRegistry(() => new WeakMap<ResourceScope, PageSource>());
    this.newPageSource = (registry, scope) => ({
      reader: deps.reader,
      dialect: deps.dialect,
      targets: parts.targets ? parts.targets(derived, registry, scope) : derived,
      table: this.table,
      alias: a,
      columns: this.rowColumns,
      idExpr: `${a}.id`,
      defaultSortExpr: `${a}.created`,
      notNullExprs: notNull,
      maxFilterCost: deps.maxFilterCost,
    });
  }

  async findById(scope: ResourceScope, id: string): Promise<ResourceRow | null> {
    const rows = await this.deps.reader.all<ResourceRow>(
      scope.statementName(this.byIdName),
      scope.statement(this.byIdSql),
      [id],
    );
    return rows[0] ?? null;
  }

  /** One page (RFC 7644 §3.4.2, RFC 9865): filter, sort and paging all in SQL. */
  search(scope: ResourceScope, request: PageRequest, registry: SchemaRegistry): Promise<PageResult<ResourceRow>> {
    return runPage<ResourceRow>(this.pageSource(registry, scope), scope, request);
  }

  private pageSource(registry: SchemaRegistry, scope: ResourceScope): PageSource {
    const byScope = this.pageSources(registry);
    let source = byScope.get(scope);
    if (!source) {
      source = this.newPageSource(registry, scope);
      byScope.set(scope, source);
    }
    return source;
  }

  /** The row, locked against concurrent writers until the transaction ends (PostgreSQL). */
  async findForUpdate<R extends ResourceRow = ResourceRow>(uow: UnitOfWork, id: string): Promise<R | null> {
    const rows = await uow.query<R>(uow.scope.statement(this.sql.forUpdate), [id]);
    return rows[0] ?? null;
  }

  async insert(uow: UnitOfWork, id: string, write: ResourceWrite, now: string): Promise<void> {
    await uow.query(uow.scope.statement(this.sql.insert), [id, ...this.values(write), now, write.doc]);
  }

  /** Rewrites the row from a new document; the version moves by one. */
  async replace(uow: UnitOfWork, id: string, write: ResourceWrite, now: string): Promise<void> {
    await uow.query(uow.scope.statement(this.sql.replace), [id, ...this.values(write), write.doc, now]);
  }

  /**
   * Locks the row for its delete (FOR UPDATE: it waits for transactions that reference it
   * under KEY SHARE, such as a member add); false when there is no such row.
   */
  async lockForDelete(uow: UnitOfWork, id: string): Promise<boolean> {
    const s = uow.scope;
    const found = await uow.query(
      `SELECT id FROM ${s.from(this.table)} WHERE ${s.where(this.table)} AND id = $1${this.deps.dialect.lock('update')}`,
      [id],
    );
    return found.length > 0;
  }

  async delete(uow: UnitOfWork, id: string): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.deleteFrom(this.table)} WHERE ${s.where(this.table)} AND id = $1`, [id]);
  }

  /** Whether the table keeps soft-deleted rows (deletionPolicy "soft"); else every delete removes the row. */
  get keepsDeleted(): boolean {
    return ResourceScope.keepsDeleted(this.table);
  }

  /** Soft delete: the row stays, marked; the scope hides it from every statement from now on. */
  async softDelete(uow: UnitOfWork, id: string, now: string): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.update(this.table)} deleted_at = $2 WHERE ${s.where(this.table)} AND id = $1`, [id, now]);
  }

  /** The write's column values in the order of `written`; a column the write does not set is NULL. */
  private values(write: ResourceWrite): SqlParam[] {
    const values: SqlParam[] = new Array<SqlParam>(this.written.length).fill(null);
    for (const { column, value } of write.columns) {
      const at = this.writtenIndex.get(column);
      if (at !== undefined) values[at] = value;
    }
    return values;
  }

  /** The fixed write statements, each built once per scope (ResourceScope.statement keys them by closure). */
  private writeStatements(): WriteStatements {
    const { table, alias: a, written } = this;
    const n = written.length;
    const insertColumns = ['id', ...written, 'created', 'last_modified', 'version', 'doc'].join(', ');
    const insertValues = ['$1', ...written.map((_, i) => `$${i + 2}`), `$${n + 2}`, `$${n + 2}`, '1', `$${n + 3}`];
    const sets = [
      ...written.map((c, i) => `${c} = $${i + 2}`),
      `doc = $${n + 2}`,
      `last_modified = $${n + 3}`,
      'version = version + 1',
    ].join(', ');
    // NO KEY UPDATE: the id never changes, so rows referencing it (KEY SHARE) need not wait.
    const lock = this.deps.dialect.lock('noKeyUpdate');
    return {
      forUpdate: (s) =>
        `SELECT ${this.lockedColumns} FROM ${s.from(table, a)} WHERE ${s.where(table, a)} AND ${a}.id = $1${lock}`,
      insert: (s) => s.insertInto(table, insertColumns, [insertValues.join(', ')]),
      replace: (s) => `${s.update(table)} ${sets} WHERE ${s.where(table)} AND id = $1`,
    };
  }
}
