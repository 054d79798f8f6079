import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { acknowledgedStateProblems } from '../setup/acknowledged-state.js';
import { envSetting } from '../setup/robustness-checks.js';
import { processDatabase, startServerProcess, type ServerProcess } from '../setup/server-process.js';
import { usingPostgres } from '../setup/test-app.js';

type ProcessDatabase = Awaited<ReturnType<typeof processDatabase>>;
import { AcknowledgedModel, newStats, runWorker, seededRandom } from '../setup/write-workload.js';

const WORKERS = 4;

async function appliedMigrations(env: Record<string, string>, sqlitePath?: string): Promise<string[]> {
  if (sqlitePath) {
    const db = new Database(sqlitePath, { readonly: true });
    try {
      return (db.prepare('SELECT name FROM typeorm_migrations').all() as { name: string }[]).map((r) => r.name).sort();
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: env['DATABASE_URL'] });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT name FROM typeorm_migrations')).rows.map((r) => r.name).sort();
  } finally {
    await client.end();
  }
}

interface CrashResult {
  readonly acknowledged: number;
  readonly cut: number;
  readonly problems: string[];
}

/**
 * One crash: workers stream POST/PATCH/DELETE and member changes at `server`; after a
 * seeded number of acknowledged answers it gets SIGKILL while requests are in flight;
 * a new process on the same database must start cleanly and hold every acknowledged
 * change so far (the model spans the runs), with nothing half-applied. Returns the
 * new process, which the next run crashes in turn.
 */
async function crashRun(
  seed: number,
  server: ServerProcess,
  model: AcknowledgedModel,
  database: ProcessDatabase,
  token: string,
): Promise<{ result: CrashResult; next: ServerProcess }> {
  const random = seededRandom(seed);
  const stats = newStats();
  const killAfter = 30 + Math.floor(random() * 120);
  let killed = false;
  const workers = Array.from({ length: WORKERS }, (_, owner) =>
    runWorker({
      owner: seed * WORKERS + owner,
      random: seededRandom(seed * 31 + owner),
      model,
      stats,
      token: () => token,
      url: () => server.url,
      stop: () => killed,
    }),
  );
  while (stats.acknowledged < killAfter) await new Promise((r) => setTimeout(r, 2));
  await server.kill();
  killed = true;
  await Promise.all(workers);
  const cut = stats.requests - [...stats.statuses.values()].reduce((a, b) => a + b, 0);
  const next = await startServerProcess(database.env);
  const health = await fetch(`${next.url}/health`);
  const problems = health.status === 200 ? [] : [`health after restart: ${health.status}`];
  const migrations = await appliedMigrations(database.env, database.sqlitePath);
  if (
    migrations.join() !==
    MIGRATIONS.map((m) => m.name)
      .sort()
      .join()
  )
    problems.push(`migrations after restart: ${migrations.join()}`);
  if ([...stats.statuses.keys()].some((s) => s >= 500))
    problems.push(`statuses before the crash: ${JSON.stringify(Object.fromEntries(stats.statuses))}`);
  problems.push(...(await acknowledgedStateProblems(next.url, token, model)));
  return { result: { acknowledged: stats.acknowledged, cut, problems }, next };
}

describe(`Crash safety: SIGKILL in the middle of a write stream (${usingPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  const runs = envSetting('CRASH_RUNS', 3);
  const seed = envSetting('CRASH_SEED', 7_2026);

  it(
    `after each of ${runs} crashes every acknowledged change is present and nothing is half-applied`,
    { timeout: 60_000 + runs * 30_000 },
    async (ctx) => {
      const token = `crash-${randomBytes(16).toString('hex')}`;
      const database = await processDatabase('scim-crash-', token);
      const model = new AcknowledgedModel();
      let server = await startServerProcess(database.env);
      let acknowledged = 0;
      try {
        for (let run = 0; run < runs; run++) {
          const { result, next } = await crashRun(seed + run, server, model, database, token);
          server = next;
          acknowledged += result.acknowledged;
          ctx.diagnostic(
            `run ${run} (CRASH_SEED=${seed + run}): ${result.acknowledged} acknowledged, ${result.cut} cut by the kill, ${result.problems.length} problems`,
          );
          assert.deepEqual(result.problems, [], `CRASH_SEED=${seed + run}`);
        }
      } finally {
        await server.stop();
        database.cleanup();
      }
      ctx.diagnostic(
        `${runs} crash runs, ${acknowledged} acknowledged answers, ${model.users.size} users and ${model.groups.size} groups tracked, 0 changes lost`,
      );
    },
  );
});
