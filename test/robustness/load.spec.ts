import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { acknowledgedStateProblems } from '../setup/acknowledged-state.js';
import { envSetting } from '../setup/robustness-checks.js';
import { processDatabase, startServerProcess, type ServerProcess } from '../setup/server-process.js';
import { BASE, usingPostgres } from '../setup/test-app.js';
import { AcknowledgedModel, newStats, runWorker, seededRandom, type WorkloadStats } from '../setup/write-workload.js';

const CLIENTS = 6;
const TOKEN_CACHE_TTL_MS = 2_000;
/** Time for a revocation to reach every instance beyond the cache TTL: one request round trip and scheduling. */
const REVOCATION_MARGIN_MS = 1_000;

const status = async (url: string, token: string): Promise<number> =>
  (await fetch(`${url}${BASE}/Users?count=1`, { headers: { Authorization: `Bearer ${token}` } })).status;

/**
 * Issues a token, uses it on every instance, revokes it through one and measures when
 * each instance refuses it; past TTL + margin every request with it must be a 401.
 */
async function revocationRound(
  servers: readonly ServerProcess[],
  admin: string,
  round: number,
): Promise<{ worstMs: number; problems: string[] }> {
  const problems: string[] = [];
  const a = servers[round % servers.length];
  const created = await fetch(`${a.url}/admin/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `load-${round}`, scopes: ['scim'] }),
  });
  if (created.status !== 201) return { worstMs: 0, problems: [`token create: ${created.status}`] };
  const { secret, token } = (await created.json()) as { secret: string; token: { id: string } };
  for (const s of servers) if ((await status(s.url, secret)) !== 200) problems.push(`a new token refused by ${s.url}`);
  const revoker = servers[(round + 1) % servers.length];
  const revoked = await fetch(`${revoker.url}/admin/tokens/${token.id}/revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}` },
  });
  if (revoked.status !== 200) problems.push(`revoke: ${revoked.status}`);
  const start = performance.now();
  const bound = TOKEN_CACHE_TTL_MS + REVOCATION_MARGIN_MS;
  let worstMs = 0;
  for (const s of servers) {
    while ((await status(s.url, secret)) !== 401) {
      if (performance.now() - start > bound) {
        problems.push(`${s.url} still accepts a token revoked ${bound} ms ago`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    worstMs = Math.max(worstMs, performance.now() - start);
  }
  for (const s of servers) {
    for (let i = 0; i < 3; i++) {
      const after = await status(s.url, secret);
      if (after !== 401) problems.push(`${s.url} answered ${after} to a revoked token after it had refused it`);
    }
  }
  return { worstMs, problems };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summary(stats: WorkloadStats, seconds: number): string {
  const errors = [...stats.statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0) + stats.networkErrors;
  return (
    `${stats.requests} requests in ${seconds} s (${(stats.requests / seconds).toFixed(0)}/s), ` +
    `error rate ${((100 * errors) / Math.max(1, stats.requests)).toFixed(2)}% (${errors}), p50 ${percentile(stats.latenciesMs, 50).toFixed(1)} ms, ` +
    `p99 ${percentile(stats.latenciesMs, 99).toFixed(1)} ms, statuses ${JSON.stringify(Object.fromEntries(stats.statuses))}`
  );
}

describe('Load: two instances on one PostgreSQL, mixed reads and writes, token revocation', () => {
  const seconds = envSetting('LOAD_SECONDS', 10);
  const seed = envSetting('LOAD_SEED', 10_2026);

  it(
    `${CLIENTS} clients for ${seconds} s: no 500, revocation within the cache TTL, final state as acknowledged`,
    { timeout: seconds * 1_000 + 120_000 },
    async (ctx) => {
      if (!usingPostgres()) {
        ctx.diagnostic('SQLite: one process per database file; load across instances is a PostgreSQL concern');
        return;
      }
      const admin = `load-${randomBytes(16).toString('hex')}`;
      const database = await processDatabase('scim-load-', admin);
      const env = { ...database.env, TOKEN_CACHE_TTL_MS: String(TOKEN_CACHE_TTL_MS) };
      const servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
      try {
        const model = new AcknowledgedModel();
        const stats = newStats();
        let stopped = false;
        const clients = Array.from({ length: CLIENTS }, (_, owner) => {
          let turn = owner;
          return runWorker({
            owner,
            random: seededRandom(seed * 17 + owner),
            model,
            stats,
            readShare: 0.4,
            token: () => admin,
            url: () => servers[turn++ % servers.length].url,
            stop: () => stopped,
          });
        });
        const deadline = performance.now() + seconds * 1_000;
        const revocation: string[] = [];
        let worstRevocationMs = 0;
        let rounds = 0;
        while (performance.now() < deadline) {
          const { worstMs, problems } = await revocationRound(servers, admin, rounds++);
          revocation.push(...problems);
          worstRevocationMs = Math.max(worstRevocationMs, worstMs);
        }
        stopped = true;
        await Promise.all(clients);
        ctx.diagnostic(summary(stats, seconds));
        ctx.diagnostic(
          `${rounds} revocations, refused by both instances within ${worstRevocationMs.toFixed(0)} ms at worst (TTL ${TOKEN_CACHE_TTL_MS} ms)`,
        );
        assert.deepEqual(revocation, []);
        assert.equal(stats.networkErrors, 0);
        // A 503 (serialization retries exhausted) is a documented overload answer; anything else 5xx is not.
        assert.deepEqual(
          [...stats.statuses.keys()].filter((s) => s >= 500 && s !== 503),
          [],
          summary(stats, seconds),
        );
        assert.deepEqual(await acknowledgedStateProblems(servers[0].url, admin, model), []);
        assert.deepEqual(await acknowledgedStateProblems(servers[1].url, admin, model), []);
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
        database.cleanup();
      }
    },
  );
});
