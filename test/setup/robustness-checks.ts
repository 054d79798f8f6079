import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { BASE, ERROR_SCHEMA, type TestApp } from './test-app.js';
import { rawRequest, type RawResponse } from './raw-request.js';

/** Every table the application writes (migrations 1763800000000 and 1763900000000). */
export const DATA_TABLES = ['users', 'groups', 'group_members', 'multi_values', 'api_tokens', 'server_state'] as const;

export interface FuzzSettings {
  readonly runs: number;
  readonly seed: number;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

/**
 * Runs and seed for property tests: FUZZ_RUNS (the CI default keeps a file near a
 * thousand cases) and FUZZ_SEED (fixed by default, so CI is deterministic; fast-check
 * prints the seed and the shrunk counterexample of a failure, which replays it).
 */
export function fuzzSettings(defaultRuns: number): FuzzSettings {
  return { runs: envInt('FUZZ_RUNS', defaultRuns), seed: envInt('FUZZ_SEED', 0x5c1a2026) };
}

/** A test timeout that grows with FUZZ_RUNS (a generous 50 ms per case, at least 5 minutes). */
export function fuzzTimeoutMs(defaultRuns: number): number {
  return Math.max(300_000, fuzzSettings(defaultRuns).runs * 50);
}

/** FUZZ_KNOWN_FAULTS=1 also runs the generators listed as hitting a fault not yet fixed. */
export function includeKnownFaults(): boolean {
  return process.env['FUZZ_KNOWN_FAULTS'] === '1';
}

export function envSetting(name: string, fallback: number): number {
  return envInt(name, fallback);
}

/** Signs of a stack trace or a database error in an error body (request values may be echoed, so no SQL words). */
const LEAK =
  /\n\s+at \S+ \(|QueryFailedError|SQLITE_[A-Z]|node_modules|syntax error at or near|relation "\w+" does not exist/;

/**
 * What every answer must satisfy (RFC 7644 §3.12): no 500 or other 5xx than a 503
 * with Retry-After; every 4xx/5xx a SCIM error body whose `status` is the HTTP status
 * as a string; nothing that leaks a stack trace or SQL. Returns the violation, if any.
 */
export function responseViolation(res: RawResponse): string | undefined {
  if (res.status >= 500 && res.status !== 503) return `status ${res.status}`;
  if (res.status === 503 && !res.headers['retry-after']) return '503 without Retry-After';
  if (res.status < 400) return undefined;
  if (LEAK.test(res.text)) return 'error body leaks internals';
  const body = res.json as { schemas?: unknown; status?: unknown } | undefined;
  if (!body || !Array.isArray(body.schemas) || !body.schemas.includes(ERROR_SCHEMA))
    return `${res.status} is not a SCIM error body`;
  if (body.status !== String(res.status))
    return `error status ${JSON.stringify(body.status)} differs from HTTP ${res.status}`;
  return undefined;
}

export function describeExchange(
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown },
  res: RawResponse,
): string {
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const headers = request.headers ? ` headers=${JSON.stringify(request.headers).slice(0, 300)}` : '';
  return `${request.method} ${request.path.slice(0, 300)}${headers} body=${(body ?? '').slice(0, 300)} -> ${res.status} ${res.text.slice(0, 300)}`;
}

/** The worst event-loop delay of this process (which hosts the app under test) while watched. */
export function watchEventLoop(): { maxMs(): number; stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return { maxMs: () => histogram.max / 1e6, stop: () => histogram.disable() };
}

/** meta.version `W/"n"` (or an ETag) as a number. */
export function versionNumber(version: unknown): number | undefined {
  const match = typeof version === 'string' ? /^W\/"(\d+)"$/.exec(version) : null;
  return match ? Number(match[1]) : undefined;
}

/** The highest version seen per resource; a lower one seen later is a violation. */
export class VersionTracker {
  private readonly seen = new Map<string, number>();

  /** Records a resource from a response body; returns a violation, if any. */
  observe(body: unknown): string | undefined {
    const resource = body as { id?: unknown; meta?: { version?: unknown; resourceType?: unknown } } | undefined;
    const version = versionNumber(resource?.meta?.version);
    if (typeof resource?.id !== 'string' || version === undefined) return undefined;
    const key = `${String(resource.meta?.resourceType)}/${resource.id}`;
    const before = this.seen.get(key);
    if (before !== undefined && version < before) return `${key} went from version ${before} to ${version}`;
    this.seen.set(key, Math.max(before ?? 0, version));
    return undefined;
  }

  entries(): [string, number][] {
    return [...this.seen.entries()];
  }
}

const rows = (db: DataSource, sql: string): Promise<Record<string, unknown>[]> =>
  db.query<Record<string, unknown>[]>(sql);

/**
 * The database after a run: no membership or multi_values row that names nothing,
 * every user and group readable through the API, no tracked version gone backwards.
 */
export async function integrityProblems(t: TestApp, versions?: VersionTracker): Promise<string[]> {
  const problems: string[] = [];
  const orphanMembers = await rows(
    t.db,
    `SELECT gm.group_id, gm.member_id, gm.member_type FROM group_members gm
    WHERE NOT EXISTS (SELECT 1 FROM groups g WHERE g.id = gm.group_id)
       OR (gm.member_type = 'User' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = gm.member_id))
       OR (gm.member_type = 'Group' AND NOT EXISTS (SELECT 1 FROM groups g2 WHERE g2.id = gm.member_id))
       OR gm.member_type NOT IN ('User', 'Group')`,
  );
  if (orphanMembers.length > 0)
    problems.push(`orphan group_members rows: ${JSON.stringify(orphanMembers.slice(0, 5))}`);
  const orphanValues = await rows(
    t.db,
    `SELECT mv.resource_id, mv.attr FROM multi_values mv
    WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = mv.resource_id)`,
  );
  if (orphanValues.length > 0) problems.push(`orphan multi_values rows: ${JSON.stringify(orphanValues.slice(0, 5))}`);
  const current = new Map<string, number>();
  for (const [table, endpoint, type] of [
    ['users', 'Users', 'User'],
    ['groups', 'Groups', 'Group'],
  ] as const) {
    for (const row of await rows(t.db, `SELECT id, version FROM ${table}`)) {
      const id = String(row['id']);
      current.set(`${type}/${id}`, Number(row['version']));
      const res = await rawRequest(t.url, {
        method: 'GET',
        path: `${BASE}/${endpoint}/${encodeURIComponent(id)}`,
        headers: { Authorization: `Bearer ${t.token}` },
      });
      const body = res.json as { id?: string } | undefined;
      if (res.status !== 200 || body?.id !== id)
        problems.push(`${type} ${id} not readable: ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  for (const [key, seen] of versions?.entries() ?? []) {
    const now = current.get(key);
    if (now !== undefined && now < seen) problems.push(`${key}: stored version ${now} below the ${seen} answered`);
  }
  return problems;
}

/**
 * Row count and a content hash per table. `api_tokens.last_used_at` is left out: every
 * authenticated request may legitimately stamp it.
 */
export async function snapshotTables(db: DataSource): Promise<Record<string, { count: number; hash: string }>> {
  const snapshot: Record<string, { count: number; hash: string }> = {};
  for (const table of DATA_TABLES) {
    const lines = (await rows(db, `SELECT * FROM ${table}`))
      .map((row) => {
        const copy = { ...row };
        delete copy['last_used_at'];
        return JSON.stringify(
          Object.keys(copy)
            .sort()
            .map((k) => [k, String(copy[k])]),
        );
      })
      .sort();
    snapshot[table] = { count: lines.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return snapshot;
}
