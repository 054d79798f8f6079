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
    if (params.length === 0) return [sql.replace(PLACEHOLDER, '@p$1'), []];
    const named: Record<string, unknown> = {};
    for (let i = 0; i < params.length; i++) named[`p${i + 1}`] = bindValue(params[i]);
    return [sql.replace(PLACEHOLDER, '@p$1'), [named]];
  },
};
