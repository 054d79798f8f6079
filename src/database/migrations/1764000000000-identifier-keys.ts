import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SchemaRegistry } from '../../scim/schema/schema-registry.js';
import { indexedMultiValuedAttributes, toMultiValueRows } from '../../users/multi-values.js';
import { foldKey, OUTER_SPACE_CLASS } from '../../scim/resource/fold-key.js';
import type { ScimObject } from '../../scim/resource/scim-resource.js';
import { toDriverQuery, type SqlParam, type SqlRow } from '../sql-reader.js';
import { planRekey } from './rekey.plan.js';

const UNBOUNDED_KEYS = { keyBytes: Number.MAX_SAFE_INTEGER };

/**
 * Unicode 17 Default_Ignorable_Code_Point as a PostgreSQL regular-expression class
 * (PostgreSQL has no \p{…}); fold-key.spec.ts checks it against the application's set.
 */
export const DEFAULT_IGNORABLE_PG_CLASS = [
  '\\u00ad',
  '\\u034f',
  '\\u061c',
  '\\u115f-\\u1160',
  '\\u17b4-\\u17b5',
  '\\u180b-\\u180f',
  '\\u200b-\\u200f',
  '\\u202a-\\u202e',
  '\\u2060-\\u206f',
  '\\u3164',
  '\\ufe00-\\ufe0f',
  '\\ufeff',
  '\\uffa0',
  '\\ufff0-\\ufff8',
  '\\U0001bca0-\\U0001bca3',
  '\\U0001d173-\\U0001d17a',
  '\\U000e0000-\\U000e0fff',
].join('');

const LEGACY_FOLD_SQL = 'SELECT lower(upper(lower(normalize($1, NFKC))))';
// The steps of foldKey(): ignorables out, NFKC, case mapping, ignorables out, outer space trimmed.
const FOLD_SQL = `SELECT regexp_replace(regexp_replace(
    lower(upper(lower(normalize(regexp_replace($1, '[${DEFAULT_IGNORABLE_PG_CLASS}]', '', 'g'), NFKC)))),
    '[${DEFAULT_IGNORABLE_PG_CLASS}]', '', 'g'),
  '^[${OUTER_SPACE_CLASS}]+|[${OUTER_SPACE_CLASS}]+$', '', 'g')`;

function legacyFold(value: string): string {
  return value.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase();
}

/**
 * Comparison keys after the identifier rule of fold-key.ts (RFC 8264 PRECIS): every
 * stored key (userName, displayName, multi_values) is recomputed in the application,
 * and PostgreSQL's scim_fold() (for attributes kept in the JSON document) gets the same
 * steps; SQLite's scim_fold() is foldKey() itself. Users whose new userName keys collide
 * keep their old key where the unique index requires it (see planRekey) and are logged.
 */
export class IdentifierKeys1764000000000 implements MigrationInterface {
  name = 'IdentifierKeys1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await this.rekey(q, foldKey, FOLD_SQL);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.rekey(q, legacyFold, LEGACY_FOLD_SQL);
  }

  private async rekey(q: QueryRunner, fold: (value: string) => string, foldSql: string): Promise<void> {
    const postgres = q.connection.options.type === 'postgres';
    const run = (sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> =>
      q.query(...toDriverQuery(postgres ? 'postgres' : 'sqlite', sql, params)) as Promise<SqlRow[]>;
    if (postgres) {
      await run(`CREATE OR REPLACE FUNCTION scim_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$${foldSql}$fold$`);
    }
    await this.reindexFolded(run, postgres);
    const users = await run(
      'SELECT id, user_name, user_name_key, display_name, display_name_key, doc FROM users ORDER BY created, id',
    );
    await this.rekeyUserNames(run, users, fold);
    await this.rekeyDisplayNames(run, 'users', users, fold);
    await this.rekeyDisplayNames(
      run,
      'groups',
      await run('SELECT id, display_name, display_name_key FROM groups'),
      fold,
    );
    await this.rekeyMultiValues(run, users, fold);
  }

  /** An index over scim_fold() holds keys of the old rule: rebuilt (none exists today; a later schema may add one). */
  private async reindexFolded(run: Run, postgres: boolean): Promise<void> {
    const indexes = postgres
      ? await run(`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE c.relnamespace = current_schema()::regnamespace
            AND (pg_get_expr(i.indexprs, i.indrelid) LIKE '%scim_fold%' OR pg_get_expr(i.indpred, i.indrelid) LIKE '%scim_fold%')`)
      : await run("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%scim_fold%'");
    for (const index of indexes)
      await run(`REINDEX ${postgres ? 'INDEX ' : ''}"${String(index['name']).replaceAll('"', '""')}"`);
  }

  private async rekeyUserNames(run: Run, users: readonly SqlRow[], fold: (value: string) => string): Promise<void> {
    const plan = planRekey(
      users.map((u) => ({
        id: String(u['id']),
        oldKey: String(u['user_name_key']),
        newKey: fold(String(u['user_name'])),
      })),
    );
    for (const update of plan.updates) {
      await run('UPDATE users SET user_name_key = $2 WHERE id = $1', [update.id, update.key]);
    }
    for (const kept of plan.kept) {
      // eslint-disable-next-line no-console -- migrations run before (and outside) Nest's logger
      console.warn(
        `${this.name}: user ${kept.id} keeps its userName key ${JSON.stringify(kept.oldKey)}: ` +
          `its new key ${JSON.stringify(kept.newKey)} belongs to user ${kept.holderId}; rename one of them`,
      );
    }
  }

  private async rekeyDisplayNames(
    run: Run,
    table: 'users' | 'groups',
    rows: readonly SqlRow[],
    fold: (value: string) => string,
  ): Promise<void> {
    for (const row of rows) {
      const name = row['display_name'];
      const key = typeof name === 'string' ? fold(name) : null;
      if (key !== row['display_name_key']) {
        await run(`UPDATE ${table} SET display_name_key = $2 WHERE id = $1`, [String(row['id']), key]);
      }
    }
  }

  /** The keys are derived from each user's document as the application writes them (stored rows are not refused for length). */
  private async rekeyMultiValues(run: Run, users: readonly SqlRow[], fold: (value: string) => string): Promise<void> {
    const indexed = indexedMultiValuedAttributes(new SchemaRegistry());
    const stored = new Map<string, SqlRow>();
    for (const row of await run('SELECT resource_id, attr, idx, value_key, type_key, display_key FROM multi_values')) {
      stored.set(`${String(row['resource_id'])}\u0000${String(row['attr'])}\u0000${Number(row['idx'])}`, row);
    }
    for (const user of users) {
      const id = String(user['id']);
      for (const row of toMultiValueRows(
        JSON.parse(String(user['doc'])) as ScimObject,
        indexed,
        UNBOUNDED_KEYS,
        fold,
      )) {
        const old = stored.get(`${id}\u0000${row.attr}\u0000${row.idx}`);
        if (
          !old ||
          (old['value_key'] === row.valueKey &&
            old['type_key'] === row.typeKey &&
            old['display_key'] === row.displayKey)
        )
          continue;
        await run(
          'UPDATE multi_values SET value_key = $4, type_key = $5, display_key = $6 WHERE resource_id = $1 AND attr = $2 AND idx = $3',
          [id, row.attr, row.idx, row.valueKey, row.typeKey, row.displayKey],
        );
      }
    }
  }
}

type Run = (sql: string, params?: readonly SqlParam[]) => Promise<SqlRow[]>;
