import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
import { SQL_READER, toDriverQuery, type SqlParam, type SqlReader } from '../../src/database/sql-reader.js';
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
  'audit_log',
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
  /**
   * false: close() does not check that every mutating request answered 2xx has its audit row
   * (see assertAudited). Only for tests that take the database away before closing.
   */
  readonly auditCheck?: false;
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
  const sent = options.auditCheck === false || !loaded.config.audit.enabled ? undefined : observeMutations(app);
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
      try {
        if (sent) await assertAudited(db, dialect, sent);
      } finally {
        await app.close();
      }
      if (sqlitePath && !options.keepData) rmSync(join(sqlitePath, '..'), { recursive: true, force: true });
    },
  };
}

/** A mutating request the test app answered 2xx, as its audit row must show it. */
interface SentMutation {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const mutationKey = (m: SentMutation): string => `${m.requestId} ${m.method} ${m.path} ${m.status}`;

/**
 * Every request the app's server answers, whoever sent it (t.req, createDirectory, raw
 * supertest or sockets): the mutating ones answered 2xx (POST .search reads) are kept with
 * the X-Request-Id the server answered with, the path as sent (no query) and the status.
 */
function observeMutations(app: NestFastifyApplication): SentMutation[] {
  const sent: SentMutation[] = [];
  const server: Server = app.getHttpServer();
  server.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    if (!MUTATING.has(req.method ?? '')) return;
    // Fastify passes its headers to writeHead, so getHeader() never sees them: read them there.
    let requestId: unknown;
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = (...args: unknown[]) => {
      const headers = args.find((a): a is Record<string, unknown> => typeof a === 'object' && a !== null);
      requestId = headers?.['x-request-id'] ?? res.getHeader('x-request-id');
      return writeHead(...args);
    };
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
    const body = BULK_PATH.test(path) ? captureBody(res) : undefined;
    res.on('finish', () => {
      if (res.statusCode < 200 || res.statusCode > 299 || path.endsWith('/.search')) return;
      const id = String(requestId);
      if (body) sent.push(...bulkOperations(id, path, body()));
      else sent.push({ requestId: id, method: req.method ?? '', path, status: res.statusCode });
    });
  });
  return sent;
}

const BULK_PATH = /\/bulk\/?$/i;

/** The body a response sends, as text once it has finished. */
function captureBody(res: ServerResponse): () => string {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown): void => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => (keep(args[0]), write(...args))) as typeof res.write;
  res.end = ((...args: unknown[]) => (keep(args[0]), end(...args))) as typeof res.end;
  return () => Buffer.concat(chunks).toString('utf8');
}

/**
 * A Bulk request's mutations are its operations that succeeded (RFC 7644 §3.7.3): each is
 * logged as the single call it stands for, under the Bulk request's id (src/bulk/).
 */
function bulkOperations(requestId: string, bulkPath: string, text: string): SentMutation[] {
  let parsed: { Operations?: { method?: string; status?: string; location?: string }[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return [];
  }
  const base = bulkPath.replace(BULK_PATH, '');
  return (parsed.Operations ?? []).flatMap((op) => {
    const status = Number(op.status);
    if (!(status >= 200 && status <= 299) || !op.method || !op.location) return [];
    const located = new URL(op.location).pathname.replace(/^.*?(\/[^/]+\/[^/]+)$/, '$1');
    const path = `${base}${op.method === 'POST' ? located.replace(/\/[^/]+$/, '') : located}`;
    return [{ requestId, method: op.method, path, status }];
  });
}

/**
 * The issue's "an audit row for every mutation of the e2e suite": each mutating request the
 * app answered 2xx has a success row with its request id, method, path and status.
 */
async function assertAudited(
  db: DataSource,
  dialect: 'sqlite' | 'postgres',
  sent: readonly SentMutation[],
): Promise<void> {
  const found = new Set<string>();
  const ids = [...new Set(sent.map((m) => m.requestId))];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const list = chunk.map((_, j) => `$${j + 1}`).join(', ');
    const rows = await db.query<{ requestId: string; method: string; path: string; status: number }[]>(
      ...toDriverQuery(
        dialect,
        `SELECT request_id AS "requestId", method, path, status FROM audit_log WHERE outcome = 'success' AND request_id IN (${list})`,
        chunk,
      ),
    );
    for (const r of rows) found.add(mutationKey({ ...r, status: Number(r.status) }));
  }
  const missing = sent.filter((m) => !found.has(mutationKey(m)));
  if (missing.length > 0) {
    const list = missing.slice(0, 20).map(mutationKey).join('\n  ');
    throw new Error(`${missing.length} mutating request(s) answered 2xx have no success audit row:\n  ${list}`);
  }
}

export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [USER_SCHEMA], userName, ...extra };
}
