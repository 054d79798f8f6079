import type { JsonSql, RowLock, SqlDialect } from './sql-dialect.js';
import { safeJsonKey } from './json-key.js';

function literal(key: string): string {
  return `'${safeJsonKey(key)}'`;
}

const jsonb = (doc: string): string => `${doc}::jsonb`;
const keys = (path: readonly string[]): string => path.map(literal).join(', ');

const POSTGRES_JSON: JsonSql = {
  text: (doc, path) => `jsonb_extract_path_text(${jsonb(doc)}, ${keys(path)})`,
  present: (doc, path) =>
    `(jsonb_typeof(jsonb_extract_path(${jsonb(doc)}, ${keys(path)})) IS DISTINCT FROM 'null' AND jsonb_extract_path(${jsonb(doc)}, ${keys(path)}) IS NOT NULL)`,
  elements: (doc, path, alias) => {
    const value = `jsonb_extract_path(${jsonb(doc)}, ${keys(path)})`;
    return `jsonb_array_elements(CASE WHEN jsonb_typeof(${value}) = 'array' THEN ${value} ELSE '[]'::jsonb END) AS ${alias}(elem)`;
  },
  elementText: (alias, sub) => (sub === '' ? `(${alias}.elem #>> '{}')` : `(${alias}.elem ->> ${literal(sub)})`),
  typed: (expr, kind) => (kind === 'boolean' ? `(${expr})::boolean` : `(${expr})::numeric`),
};

const LOCKS: Readonly<Record<RowLock, string>> = {
  update: ' FOR UPDATE',
  noKeyUpdate: ' FOR NO KEY UPDATE',
  keyShare: ' FOR KEY SHARE',
};

/** Concurrent writers: row locks, advisory locks; the driver takes $n and booleans as they are. */
export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  singleWriter: false,
  likeIgnoresCase: false,
  json: POSTGRES_JSON,
  lock: (kind, options) => `${LOCKS[kind]}${options?.nowait ? ' NOWAIT' : ''}`,
  lockedIds: (from, where, idsSql, nowait = false) =>
    `SELECT id FROM ${from} WHERE ${where} AND id IN (${idsSql}) ORDER BY id${LOCKS.noKeyUpdate}${nowait ? ' NOWAIT' : ''}`,
  advisoryTransactionLockSql: 'SELECT pg_advisory_xact_lock($1)',
  onConflictDoNothing: (target) => ` ON CONFLICT${target ? ` (${target})` : ''} DO NOTHING`,
  bindValue: (value) => value,
  // pg copies nothing itself; the caller's array is passed as is (a hot path: no allocation).
  toDriverQuery: (sql, params) => [sql, params as unknown[]],
};
