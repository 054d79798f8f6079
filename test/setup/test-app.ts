import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { TokensService } from '../../src/auth/tokens.service.js';
import type { Scope } from '../../src/auth/token-secret.js';
import { AppConfigModule } from '../../src/config/config.module.js';
import { createApp, type CreateAppOptions } from '../../src/create-app.js';
import { SQL_READER, type SqlParam, type SqlReader } from '../../src/database/sql-reader.js';
import type { DirectorySettings } from '../../src/common/http/scim-context.js';
import { DirectoryPurgeService } from '../../src/directories/directory-purge.service.js';

export const BASE = '/scim/v2';
export const SCIM_JSON = 'application/scim+json';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The tables tests reset; the migrations table stays. */
const TABLES = [
  'group_members',
  'groups',
  'multi_values',
  'users',
  'api_tokens',
  'server_state',
  'directory_schemas',
  'directory_schema_state',
  'extension_unique_values',
];

/** Empties every table before the app starts (start-up work such as token bootstrap must see an empty database). */
export async function resetPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Only the tables that exist: a database migrated by an older build lacks the newer ones.
    const { rows } = await client.query<{ t: string }>(
      'SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL',
      [TABLES],
    );
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => r.t).join(', ')}`);
    const { rows: dirs } = await client.query("SELECT to_regclass('public.directories') AS t");
    if (dirs[0]?.t) {
      await client.query('DELETE FROM directories WHERE id <> 1');
      await client.query("UPDATE directories SET settings = '{}', disabled = false, deleted_at = NULL WHERE id = 1");
    }
  } finally {
    await client.end();
  }
}

export interface TestDirectory {
  readonly id: number;
  readonly slug: string;
  /** Its SCIM base path, `/directories/<slug>/scim/v2`. */
  readonly base: string;
  /** A `scim` token of this directory. */
  readonly token: string;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly db: DataSource;
  readonly dialect: 'sqlite' | 'postgres';
  /** A token with both scopes. */
  readonly token: string;
  /** Origin of the listening app, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** An authenticated supertest request against the running app. */
  req(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, token?: string): request.Test;
  /** A token of the default directory; one with the `admin` scope is server-wide. */
  issueToken(scopes: Scope[], name?: string, expiresAt?: Date): Promise<string>;
  /** Creates a directory over the admin API, with a `scim` token of its own. */
  createDirectory(slug: string, settings?: DirectorySettings): Promise<TestDirectory>;
  /** Settles once the background purges of deleted directories have finished. */
  whenPurged(): Promise<void>;
  /** Records the SQL statements the prepared-statement reader runs while `fn` runs. */
  captureReads<T>(
    fn: () => Promise<T>,
  ): Promise<{ result: T; statements: string[]; calls: { sql: string; params: readonly SqlParam[] }[] }>;
  close(): Promise<void>;
}

/**
 * The database under test: PostgreSQL when DATABASE_URL is set (and then it must be
 * reachable: there is no fallback), else a fresh SQLite file per app.
 */
export function usingPostgres(): boolean {
  return Boolean(process.env['DATABASE_URL']);
}

export interface StartOptions {
  readonly env?: Record<string, string>;
  /** Keep the database's rows (restart tests); default resets every table. */
  readonly keepData?: boolean;
  /** Reuse an SQLite file from an earlier app (restart tests). */
  readonly sqlitePath?: string;
  /** Schemas and resource types registered besides the built-in ones, and the migrations of their tables. */
  readonly registry?: Pick<CreateAppOptions, 'schemas' | 'resourceTypes' | 'migrations'>;
}

export function newSqlitePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'scim-test-')), 'scim.sqlite');
}

export async function startTestApp(options: StartOptions = {}): Promise<TestApp & { sqlitePath?: string }> {
  const sqlitePath = usingPostgres() ? undefined : (options.sqlitePath ?? newSqlitePath());
  const env: Record<string, string> = {
    LOG_LEVEL: 'error',
    // A bootstrap token keeps the first-start admin token (printed to stdout) out of test output.
    SCIM_BOOTSTRAP_TOKEN: `test-bootstrap-${randomBytes(16).toString('hex')}`,
    // Budgets no other test should meet (one token sends a whole file's requests); the limiter still runs.
    // rate-limits.e2e.spec.ts sets its own.
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURE_LIMIT_PER_MINUTE: '1000000',
    ...(sqlitePath ? { SQLITE_PATH: sqlitePath } : {}),
    ...options.env,
  };
  const loaded = await AppConfigModule.load(env);
  if (!options.keepData && loaded.config.database.type === 'postgres') {
    await resetPostgres(loaded.config.database.url);
  }
  const app = await createApp(loaded, { ...options.registry, logger: false });
  const db = app.get<DataSource>(getDataSourceToken());
  const dialect = loaded.config.database.type;
  const tokens = app.get(TokensService);
  const issueToken = async (scopes: Scope[], name = 'test', expiresAt?: Date): Promise<string> =>
    (await tokens.issue({ name, scopes, serverWide: scopes.includes('admin'), ...(expiresAt ? { expiresAt } : {}) }))
      .secret;
  const token = await issueToken(['scim', 'admin'], 'test-all');
  // A real listening socket, so absolute URLs (Location, meta.location) are stable across requests.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const reader = app.get<SqlReader>(SQL_READER);
  return {
    app,
    db,
    dialect,
    token,
    ...(sqlitePath ? { sqlitePath } : {}),
    url,
    req: (method, path, auth = token) => request(url)[method](path).set('Authorization', `Bearer ${auth}`),
    issueToken,
    createDirectory: async (slug, settings) => {
      const auth = (r: request.Test): request.Test => r.set('Authorization', `Bearer ${token}`);
      const created = await auth(request(url).post('/admin/directories')).send({
        slug,
        ...(settings ? { settings } : {}),
      });
      if (created.status !== 201) throw new Error(`createDirectory ${slug}: ${created.status} ${created.text}`);
      const id = Number(created.body.id);
      const issued = await auth(request(url).post(`/admin/directories/${id}/tokens`)).send({
        name: `${slug}-scim`,
        scopes: ['scim'],
      });
      if (issued.status !== 201) throw new Error(`token of ${slug}: ${issued.status} ${issued.text}`);
      return { id, slug, base: `/directories/${slug}${BASE}`, token: String(issued.body.secret) };
    },
    whenPurged: () => app.get(DirectoryPurgeService).whenIdle(),
    captureReads: async (fn) => {
      const statements: string[] = [];
      const calls: { sql: string; params: readonly SqlParam[] }[] = [];
      reader.observe((sql, params) => {
        statements.push(sql);
        calls.push({ sql, params: [...params] });
      });
      try {
        return { result: await fn(), statements, calls };
      } finally {
        reader.observe(undefined);
      }
    },
    close: async () => {
      await app.close();
      if (sqlitePath && !options.keepData) rmSync(join(sqlitePath, '..'), { recursive: true, force: true });
    },
  };
}

export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [USER_SCHEMA], userName, ...extra };
}
