// Throughput of the built server against a bare Fastify baseline, measured in one run on
// this machine (autocannon on loopback). Figures are ratios to the baseline because
// shared machines are noisy. Usage: npm run bench  (BENCH_USERS, BENCH_SECONDS,
// BENCH_CONNECTIONS, BENCH_DATABASE_URL to measure PostgreSQL instead of SQLite).
import autocannon from 'autocannon';
import { startServer } from './server.js';
import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const USERS = Number(process.env.BENCH_USERS ?? 10000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? '';
const TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

function sampleUser(i) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `bench.user.${i}@example.com`,
    externalId: `ext-${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    displayName: `Bench User ${i}`,
    emails: [{ value: `bench.user.${i}@example.com`, type: 'work', primary: true }],
    active: true,
  };
}

async function startBaseline() {
  const app = Fastify();
  const body = { ...sampleUser(1), id: '00000000-0000-4000-8000-000000000000', meta: { resourceType: 'User' } };
  app.get('/scim/v2/Users/:id', async () => body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}`, stop: () => app.close() };
}


async function seed(url) {
  const ids = [];
  let next = 0;
  const worker = async () => {
    while (next < USERS) {
      const i = next++;
      const res = await fetch(`${url}/scim/v2/Users`, { method: 'POST', headers: HEADERS, body: JSON.stringify(sampleUser(i)) });
      if (res.status !== 201) throw new Error(`seed ${i}: ${res.status} ${await res.text()}`);
      ids.push((await res.json()).id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

function measure(url, paths, headers = {}) {
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length] }) }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function summary(name, result, baseline) {
  const rps = result.requests.average;
  const non2xx = result.non2xx;
  return { name, rps: Math.round(rps), p99ms: result.latency.p99, non2xx, ratio: baseline ? +(rps / baseline).toFixed(3) : 1 };
}

const dir = mkdtempSync(join(tmpdir(), 'scim-bench-'));
const baseline = await startBaseline();
const server = await startServer(20000 + Math.floor(Math.random() * 20000), {
  SCIM_BOOTSTRAP_TOKEN: TOKEN,
  ...(DATABASE_URL ? { DATABASE_URL } : { SQLITE_PATH: join(dir, 'bench.sqlite') }),
});
try {
  const started = Date.now();
  const ids = await seed(server.url);
  console.log(`seeded ${ids.length} users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const shuffled = ids.map((id) => ({ id, k: Math.random() })).sort((a, b) => a.k - b.k).map((x) => x.id);
  const base = await measure(baseline.url, ['/scim/v2/Users/00000000-0000-4000-8000-000000000000']);
  const byId = await measure(server.url, shuffled.map((id) => `/scim/v2/Users/${id}`), HEADERS);
  const byName = await measure(server.url, shuffled.slice(0, 1000).map((_, i) =>
    `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "BENCH.USER.${(i * 7919) % USERS}@example.com"`)}`), HEADERS);
  const baseRps = base.requests.average;
  const rows = [summary('bare Fastify, GET constant user', base), summary('GET /Users/{id}', byId, baseRps),
    summary('GET /Users?filter=userName eq', byName, baseRps)];
  console.log(`\n${USERS} users, ${DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, ${CONNECTIONS} connections, ${SECONDS} s each\n`);
  console.log('| request | req/s | p99 ms | non-2xx | ratio to baseline |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.rps} | ${r.p99ms} | ${r.non2xx} | ${r.ratio} |`);
} finally {
  await server.stop();
  await baseline.stop();
  rmSync(dir, { recursive: true, force: true });
}
