import type { SqlParam } from '../sql-reader.js';
import type { JsonSql, SqlDialect } from './sql-dialect.js';
import { safeJsonKey } from './json-key.js';

/** SQLite JSON path literal, every label quoted (URNs contain ':' and '.'). */
function sqlitePath(path: readonly string[]): string {
  for (const key of path) safeJsonKey(key);
  return `'$${path.map((k) => `."${k}"`).join('')}'`;
}

const SQLITE_JSON: JsonSql = {
  text: (doc, path) => `json_extract(${doc}, ${sqlitePath(path)})`,
  present: (doc, path) => {
    const type = `json_type(${doc}, ${sqlitePath(path)})`;
    return `(${type} IS NOT NULL AND ${type} <> 'null')`;
  },
  elements: (doc, path, alias) => `json_each(${doc}, ${sqlitePath(path)}) ${alias}`,
  elementText: (alias, sub) => (sub === '' ? `${alias}.value` : `json_extract(${alias}.value, ${sqlitePath([sub])})`),
  typed: (expr) => expr,
};

function bindValue(value: SqlParam): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

const PLACEHOLDER = /\$(\d+)/g;

// The rewritten text of each distinct statement: most are fixed (a filter's text is bounded
// by FILTER_MAX_COST), so the rewrite runs once per text; the bound keeps dynamic SQL from
// growing it without limit.
const REWRITTEN_MAX = 2000;
const rewritten = new Map<string, string>();

/** `p1`, `p2`, ...: the parameter names, built once each. */
const names: string[] = [];
function paramName(i: number): string {
  return (names[i] ??= `p${i + 1}`);
}

function namedPlaceholders(sql: string): string {
  let text = rewritten.get(sql);
  if (text === undefined) {
    text = sql.replace(PLACEHOLDER, '@p$1');
    if (rewritten.size >= REWRITTEN_MAX) rewritten.clear();
    rewritten.set(sql, text);
  }
  return text;
}

/**
 * One writer (SQLite allows one, and TypeORM's better-sqlite3 driver shares one connection),
 * so no row or advisory locks. better-sqlite3 cannot bind "?1"-style numbered parameters by
 * position, so $n becomes the named parameter @pn bound from one object; booleans become 0/1.
 */
export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  singleWriter: true,
  likeIgnoresCase: true,
  json: SQLITE_JSON,
  lock: () => '',
  lockedIds: (_from, _where, idsSql) => idsSql,
  advisoryTransactionLockSql: undefined,
  onConflictDoNothing: (target) => ` ON CONFLICT${target ? ` (${target})` : ''} DO NOTHING`,
  bindValue,
  toDriverQuery(sql, params) {
    if (params.length === 0) return [namedPlaceholders(sql), []];
    const named: Record<string, unknown> = {};
    for (let i = 0; i < params.length; i++) named[paramName(i)] = bindValue(params[i]);
    return [namedPlaceholders(sql), [named]];
  },
};
