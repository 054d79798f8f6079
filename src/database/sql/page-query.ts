import type { SqlParam, SqlReader, SqlRow } from '../sql-reader.js';
import { FilterToSql, sortKeyCost } from './filter-to-sql.js';
import type { TargetResolver } from './doc-targets.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { ResourceScope, ScopedTable } from '../scope/resource-scope.js';
import { ParamBinder } from './sql-fragment.js';
import type { ElementTarget, ScalarTarget } from './sql-targets.js';
import type { ValidatedFilter } from '../../scim/filter/validate-filter.js';
import type { ResolvedAttribute } from '../../scim/schema/schema-registry.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { keyDigest } from '../../scim/paging/cursor.codec.js';

export type CursorKey = (string | number | null)[];

/** What a list request asks of a repository, already validated by the service. */
export interface PageRequest {
  readonly filter?: ValidatedFilter;
  readonly sort?: { readonly attribute: ResolvedAttribute; readonly descending: boolean };
  readonly mode:
    | { readonly kind: 'index'; readonly offset: number; readonly limit: number }
    | {
        readonly kind: 'cursor';
        readonly direction: 'next' | 'prev';
        readonly after?: CursorKey;
        /** `after` has cut strings: the full key is read back from the row `after` ends with, and must have this keyDigest(). */
        readonly cut?: string;
        readonly limit: number;
      };
  /** Count all matches (index paging); cursor pages skip it (RFC 9865 §2 lets totalResults go). */
  readonly withTotal: boolean;
}

export interface PageResult<R> {
  readonly rows: R[];
  /** The keyset key of each row, for cursors. */
  readonly keys: CursorKey[];
  readonly total?: number;
  /** Cursor mode: more rows exist beyond this page in the direction read. */
  readonly more: boolean;
}

export interface PageSource {
  readonly reader: SqlReader;
  readonly dialect: SqlDialect;
  readonly targets: TargetResolver;
  /** The table listed and its alias, which must match the targets' column references; the scope qualifies both. */
  readonly table: ScopedTable;
  readonly alias: string;
  readonly columns: string;
  readonly idExpr: string;
  /** Default order (RFC 7644 §3.4.2.3 leaves it to the server): a NOT NULL column plus id. */
  readonly defaultSortExpr: string;
  /** Sortable expressions known to be NOT NULL, which allow a plain (value, id) keyset. */
  readonly notNullExprs: ReadonlySet<string>;
  /** FILTER_MAX_COST: the largest summed term cost (FILTER_TERM_COST) of a filter. */
  readonly maxFilterCost: number;
}

/**
 * RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else the first.
 * A complex singular attribute needs a sub-attribute.
 */
function sortExpression(source: PageSource, attribute: ResolvedAttribute): string {
  const target = source.targets(attribute);
  if (target.kind === 'scalar') {
    if (attribute.attribute.type === 'complex' && !attribute.subAttribute) throw notSortable(attribute);
    return target.expr;
  }
  return firstElement(target, attribute);
}

function firstElement(target: ElementTarget, attribute: ResolvedAttribute): string {
  const value: ScalarTarget | undefined = target.sub(
    attribute.subAttribute?.name ?? (attribute.attribute.type === 'complex' ? 'value' : ''),
  );
  if (!value) throw notSortable(attribute);
  const primary = target.sub('primary');
  const order = primary ? ` ORDER BY ${primary.expr} DESC` : '';
  return `(SELECT ${value.expr} FROM ${target.from} WHERE ${target.correlation}${order} LIMIT 1)`;
}

function notSortable(attribute: ResolvedAttribute): ScimException {
  return ScimException.invalidValue(`Cannot sort by '${attribute.path}'`);
}

function isNumeric(source: PageSource, attribute: ResolvedAttribute): boolean {
  const target = source.targets(attribute);
  return target.kind === 'scalar' && target.valueKind === 'number';
}

/** The keyset of an order: (value, id) for NOT NULL values, else (missing?, value as text, id). */
function keyExpressions(source: PageSource, request: PageRequest): string[] {
  const expr = request.sort ? sortExpression(source, request.sort.attribute) : source.defaultSortExpr;
  if (source.notNullExprs.has(expr)) return [expr, source.idExpr];
  // Numbers sort numerically (9 before 10), not as their text.
  if (request.sort && isNumeric(source, request.sort.attribute)) {
    return [`(CASE WHEN ${expr} IS NULL THEN 1 ELSE 0 END)`, `COALESCE(${expr}, 0)`, source.idExpr];
  }
  // Missing values sort last ascending and first descending (RFC 7644 §3.4.2.3).
  return [`(CASE WHEN ${expr} IS NULL THEN 1 ELSE 0 END)`, `COALESCE(CAST(${expr} AS TEXT), '')`, source.idExpr];
}

/**
 * The WHERE clause of a filter. The filter's cost and the sort key's (SORT_KEY_COST) share
 * one budget, checked before anything runs: beyond it 400, invalidFilter when a filter is
 * part of it, else invalidValue (the sort alone).
 */
function whereClause(
  source: PageSource,
  request: PageRequest,
  binder: ParamBinder,
): { where: string; head: string; indexed: boolean } {
  const sortCost = request.sort ? sortKeyCost(source.targets(request.sort.attribute)) : 0;
  if (!request.filter) {
    if (sortCost > source.maxFilterCost)
      throw overBudget(ScimException.invalidValue, `sorting by '${request.sort?.attribute.path}'`, sortCost, source);
    return { where: '1 = 1', head: '', indexed: false };
  }
  const translator = new FilterToSql(source.targets, binder);
  const where = translator.translate(request.filter);
  if (translator.cost + sortCost > source.maxFilterCost) {
    throw overBudget(
      ScimException.invalidFilter,
      sortCost > 0 ? 'the filter and the sort' : 'the filter',
      translator.cost + sortCost,
      source,
    );
  }
  // Index probes without a sort stay point lookups; anything else may scan.
  return { where, head: translator.withClause, indexed: translator.probesOnly && !request.sort };
}

function overBudget(
  error: (detail: string) => ScimException,
  what: string,
  cost: number,
  source: PageSource,
): ScimException {
  return error(
    `Cost of ${what}: ${cost} exceeds the budget of ${source.maxFilterCost} (FILTER_MAX_COST): ` +
      'substring, presence and nested-group terms cost most, and sorting by groups; use fewer terms',
  );
}

/** Runs the page query (and the count, for index paging) with bound parameters only. */
export async function runPage<R extends object>(
  source: PageSource,
  scope: ResourceScope,
  request: PageRequest,
): Promise<PageResult<R>> {
  const binder = new ParamBinder(source.dialect);
  const filtered = whereClause(source, request, binder);
  const { head, indexed } = filtered;
  const from = scope.from(source.table, source.alias);
  const where = `${scope.where(source.table, source.alias)} AND (${filtered.where})`;
  const filterParams = [...binder.params];
  const keys = keyExpressions(source, request);
  const descending = request.sort?.descending ?? false;
  const backwards = request.mode.kind === 'cursor' && request.mode.direction === 'prev';
  const reverse = descending !== backwards;
  const orderBy = keys.map((k) => `${k} ${reverse ? 'DESC' : 'ASC'}`).join(', ');
  const select = `${head}SELECT ${source.columns}, ${keys.map((k, i) => `${k} AS k${i}`).join(', ')} FROM ${from}`;
  let total: number | undefined;
  if (request.withTotal) {
    const rows = await source.reader.list(
      `${head}SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`,
      filterParams,
      indexed,
    );
    total = Number(rows[0]?.['n'] ?? 0);
  }
  const mode = request.mode;
  let sql: string;
  if (mode.kind === 'index') {
    if (mode.limit === 0 || (total !== undefined && mode.offset >= total))
      return { rows: [], keys: [], ...(total !== undefined ? { total } : {}), more: false };
    sql = `${select} WHERE ${where} ORDER BY ${orderBy} LIMIT ${binder.bind(mode.limit)} OFFSET ${binder.bind(mode.offset)}`;
  } else {
    const boundary =
      mode.after && mode.cut !== undefined ? await fullKey(source, scope, keys, mode.after, mode.cut) : mode.after;
    const after = boundary
      ? ` AND (${keys.join(', ')}) ${reverse ? '<' : '>'} (${boundary.map((v) => binder.bind(v as SqlParam)).join(', ')})`
      : '';
    sql = `${select} WHERE ${where}${after} ORDER BY ${orderBy} LIMIT ${binder.bind(mode.limit + 1)}`;
  }
  let rows = await source.reader.list<R & SqlRow>(sql, binder.params, indexed);
  const more = mode.kind === 'cursor' && rows.length > mode.limit;
  if (more) rows = rows.slice(0, mode.limit);
  if (backwards) rows = rows.reverse();
  return {
    rows,
    keys: rows.map((r) => keys.map((_, i) => normaliseKey((r as SqlRow)[`k${i}`]))),
    ...(total !== undefined ? { total } : {}),
    more,
  };
}

/**
 * The whole keyset key of the row a cut cursor key names (its last value is the id), so
 * the keyset condition compares full values. A row that is gone or whose key changed
 * since the cursor was made cannot place the boundary: 400 invalidCursor.
 */
async function fullKey(
  source: PageSource,
  scope: ResourceScope,
  keys: readonly string[],
  after: CursorKey,
  digest: string,
): Promise<CursorKey> {
  const id = after[after.length - 1];
  const rows = await source.reader.all(
    undefined,
    `SELECT ${keys.map((k, i) => `${k} AS k${i}`).join(', ')} FROM ${scope.from(source.table, source.alias)} WHERE ${scope.where(source.table, source.alias)} AND ${source.idExpr} = $1`,
    [id ?? null],
  );
  const row = rows[0];
  const key = row ? keys.map((_, i) => normaliseKey(row[`k${i}`])) : undefined;
  if (!key || keyDigest(key) !== digest) {
    throw ScimException.invalidCursor(
      'The resource this cursor continues from has changed; start again without a cursor',
    );
  }
  return key;
}

function normaliseKey(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  // Key expressions are text or numbers (dates are stored as ISO text); anything else travels as JSON.
  return JSON.stringify(value);
}
