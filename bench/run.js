// Throughput of the built server as a ratio to a bare node:http baseline measured in the
// same run (bench/README.md). The server under test and the baseline each run in their own
// process pinned to one core; this process (autocannon) is pinned to the other. The baseline
// is measured before and after the server, so drift on a shared machine shows. Any non-2xx
// answer fails its scenario. Usage: npm run bench -- [--db sqlite|postgres] [--users 10000]
// [--seconds 8] [--connections 10] [--json path] [--compare <checkout> [--compare-label name]]
// [--directories N [--directory-users 100]] [--audit-off]
// With --compare, a second server (the built dist/main.js of another checkout, e.g. a
// worktree of an earlier commit) runs in the same run on its own database: each scenario is
// measured on both, one after the other, against the same baseline.
// With --directories N, a second server of this checkout runs beside the first, its database
// also holding N more directories of --directory-users users each (the same userNames as the
// default directory's): the default directory's figures with N directories present, beside
// one directory, in one run.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freshPostgres, pinSelf, readPeakRssMb, startPinned, stopAll } from './processes.js';

const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    users: { type: 'string', default: process.env.BENCH_USERS ?? '10000' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '8' },
    warmup: { type: 'string', default: '2' },
    settle: { type: 'string', default: '5' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    json: { type: 'string' },
    compare: { type: 'string' },
    'compare-label': { type: 'string', default: 'compared' },
    directories: { type: 'string', default: '0' },
    'audit-off': { type: 'boolean', default: false },
    'directory-users': { type: 'string', default: '100' },
    'server-cpu': { type: 'string', default: '0' },
    'load-cpu': { type: 'string', default: '1' },
  },
});
const USERS = Number(opts.users);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/scim+json' };
const RUN = randomBytes(3).toString('hex');

function sampleUser(i, prefix = 'bench') {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `${prefix}.user.${i}@example.com`,
    externalId: `${prefix}-ext-${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    displayName: `Bench User ${i}`,
    emails: [{ value: `${prefix}.user.${i}@example.com`, type: 'work', primary: true }],
    active: true,
  };
}

async function seed(url, users = USERS, base = '/scim/v2', headers = JSON_HEADERS) {
  const ids = new Array(users);
  let next = 0;
  const worker = async () => {
    while (next < users) {
      const i = next++;
      const res = await fetch(`${url}${base}/Users`, {
        method: 'POST',
        headers,
        body: JSON.stringify(sampleUser(i)),
      });
      if (res.status !== 201) throw new Error(`seed ${i}: ${res.status} ${await res.text()}`);
      ids[i] = (await res.json()).id;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

async function admin(url, path, body) {
  const res = await fetch(`${url}/admin${path}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST /admin${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** N more directories, each with its own scim token and `perDirectory` users named as the default directory's. */
async function seedDirectories(url, count, perDirectory) {
  for (let d = 0; d < count; d++) {
    const slug = `bench-${d}`;
    const directory = await admin(url, '/directories', { slug, displayName: `Bench ${d}` });
    const issued = await admin(url, `/directories/${directory.id}/tokens`, { name: slug, scopes: ['scim'] });
    const headers = { authorization: `Bearer ${issued.secret}`, 'content-type': 'application/scim+json' };
    await seed(url, perDirectory, `/directories/${slug}/scim/v2`, headers);
  }
}

/** One autocannon run; `next(i)` gives the i-th request's {method, path, body}. */
function load(url, next, seconds) {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        headers: JSON_HEADERS,
        requests: [{ setupRequest: (req) => ({ ...req, ...next(i++) }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

async function scenario(name, url, next, seconds = SECONDS) {
  await load(url, next, Number(opts.warmup));
  const r = await load(url, next, seconds);
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors + r.timeouts,
    total: r.requests.total,
  };
}

/** One figure from the halves of a scenario: mean rate and median, worst p99, all failures. */
function combine(halves) {
  const mean = (key) => halves.reduce((sum, h) => sum + h[key], 0) / halves.length;
  return {
    name: halves[0].name,
    rps: mean('rps'),
    p50: mean('p50'),
    p99: Math.max(...halves.map((h) => h.p99)),
    non2xx: halves.reduce((sum, h) => sum + h.non2xx, 0),
    total: halves.reduce((sum, h) => sum + h.total, 0),
  };
}

function scenarios(ids) {
  const shuffled = ids
    .map((id) => ({ id, k: Math.random() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.id);
  const pick = (i) => shuffled[(i * 7919) % shuffled.length];
  let posted = 0; // across warm-up and measurement: every POST needs a new userName
  const patch = (active) =>
    JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: active }],
    });
  return [
    ['GET /Users/{id}', (i) => ({ method: 'GET', path: `/scim/v2/Users/${pick(i)}` })],
    [
      'GET /Users?filter=userName eq',
      (i) => ({
        method: 'GET',
        path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "BENCH.USER.${(i * 7919) % USERS}@example.com"`)}`,
      }),
    ],
    ['GET /Users?count=100', () => ({ method: 'GET', path: '/scim/v2/Users?count=100' })],
    [
      'PATCH /Users/{id} replace active',
      (i) => ({
        method: 'PATCH',
        path: `/scim/v2/Users/${pick(i)}`,
        body: patch(Math.floor(i / shuffled.length) % 2 === 1),
      }),
    ],
    [
      'POST /Users',
      () => ({ method: 'POST', path: '/scim/v2/Users', body: JSON.stringify(sampleUser(posted++, `post-${RUN}`)) }),
    ],
  ];
}

function report(rows, meta) {
  const baseline = (rows[0].rps + rows.at(-1).rps) / 2;
  const out = rows.map((r) => ({ ...r, rps: Math.round(r.rps), ratio: +(r.rps / baseline).toFixed(3) }));
  console.log(
    `\n${meta.users} users, ${meta.db}, ${CONNECTIONS} connections, ${SECONDS} s each (+${opts.warmup} s warm-up), server and baseline on CPU ${meta.serverCpu}, load on CPU ${meta.loadCpu}; server peak RSS ${meta.servers.map((t) => `${t.peakRssMb} MB (${t.label})`).join(', ')}\n`,
  );
  console.log(
    '| scenario | server | req/s | p50 ms | p99 ms | non-2xx | ratio to baseline |\n|---|---|---|---|---|---|---|',
  );
  for (const r of out)
    console.log(
      `| ${r.name} | ${r.server ?? ''} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.ratio}${r.non2xx > 0 ? ' FAILED' : ''} |`,
    );
  return out;
}

const started = [];
const dir = mkdtempSync(join(tmpdir(), 'scim-bench-'));
let failed = false;
process.on('SIGINT', () => {
  stopAll(started);
  process.exit(130);
});
try {
  const pinned = pinSelf(opts['load-cpu']);
  const targets = [{ label: 'this checkout', cwd: process.cwd(), db: 'scim_bench', sqlite: 'bench.sqlite' }];
  if (opts.compare)
    targets.push({
      label: opts['compare-label'],
      cwd: resolve(opts.compare),
      db: 'scim_bench_compare',
      sqlite: 'compare.sqlite',
    });
  const directories = Number(opts.directories);
  if (directories > 0)
    targets.push({
      label: `${directories} directories`,
      cwd: process.cwd(),
      db: 'scim_bench_directories',
      sqlite: 'directories.sqlite',
      directories,
    });
  // The provisioning log's cost: the same checkout with AUDIT_LOG=off, beside the one writing it.
  if (opts['audit-off'])
    targets.push({
      label: 'AUDIT_LOG=off',
      cwd: process.cwd(),
      db: 'scim_bench_audit_off',
      sqlite: 'audit-off.sqlite',
      env: { AUDIT_LOG: 'off' },
    });
  const baseline = await startPinned(started, opts['server-cpu'], ['bench/baseline-server.js'], TOKEN);
  const base = () => ({ method: 'GET', path: '/scim/v2/Users/2819c223-7f76-453a-919d-413861904646' });
  // Before the servers under test exist, so their start-up and seeding cannot take the core.
  const rows = [await scenario('bare node:http baseline (before)', baseline.url, base)];
  const servers = [];
  for (const target of targets) {
    const db = opts.db === 'postgres' ? await freshPostgres(target.db) : null;
    const server = await startPinned(
      started,
      opts['server-cpu'],
      [join(target.cwd, 'dist/main.js')],
      TOKEN,
      {
        SCIM_BOOTSTRAP_TOKEN: TOKEN,
        LOG_LEVEL: 'warn',
        ...(db ? { DATABASE_URL: db.url } : { SQLITE_PATH: join(dir, target.sqlite) }),
        ...target.env,
      },
      target.cwd,
    );
    const t0 = Date.now();
    const ids = await seed(server.url);
    console.log(
      `${target.label}: seeded ${ids.length} users through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s${pinned ? '' : ' (taskset unavailable: not pinned)'}`,
    );
    if (target.directories) {
      const t1 = Date.now();
      await seedDirectories(server.url, target.directories, Number(opts['directory-users']));
      console.log(
        `${target.label}: seeded ${target.directories} directories of ${opts['directory-users']} users in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
      );
    }
    servers.push({ ...target, server, dbHandle: db, scenarios: scenarios(ids) });
  }
  // Let the seeding's aftermath (WAL checkpoint, garbage collection, autovacuum) pass first.
  await new Promise((r) => setTimeout(r, Number(opts.settle) * 1000));
  // Scenario by scenario, each server in turn, so drift hits both alike; each scenario runs
  // in two halves, the servers in order and then in reverse, because on a shared machine the
  // first server measured was measured slowest (the same code, first and last, up to 2x).
  for (let s = 0; s < servers[0].scenarios.length; s++) {
    const halves = new Map();
    const order = servers.length > 1 ? [...servers, ...[...servers].reverse()] : servers;
    for (const target of order) {
      const [name, next] = target.scenarios[s];
      const half = await scenario(name, target.server.url, next, servers.length > 1 ? SECONDS / 2 : SECONDS);
      halves.set(target, [...(halves.get(target) ?? []), half]);
    }
    for (const target of servers) {
      rows.push({ ...combine(halves.get(target)), ...(servers.length > 1 ? { server: target.label } : {}) });
    }
  }
  rows.push(await scenario('bare node:http baseline (after)', baseline.url, base));
  const meta = {
    db: opts.db === 'postgres' ? 'PostgreSQL' : 'SQLite',
    servers: servers.map((t) => ({ label: t.label, dir: t.cwd, peakRssMb: readPeakRssMb(t.server.pid) })),
    users: USERS,
    serverCpu: opts['server-cpu'],
    loadCpu: opts['load-cpu'],
    date: new Date().toISOString(),
  };
  const out = report(rows, meta);
  failed = out.some((r) => r.non2xx > 0);
  const file = opts.json ?? join('bench', 'results', `bench-${opts.db}-${meta.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify({ meta, connections: CONNECTIONS, seconds: SECONDS, rows: out }, null, 2));
  console.log(`\nwritten ${file}`);
  const stopping = stopAll(started);
  for (const target of servers) await target.dbHandle?.drop(stopping);
} finally {
  await stopAll(started);
  rmSync(dir, { recursive: true, force: true });
}
if (failed) {
  console.error('a scenario answered non-2xx: the figures above are not valid');
  process.exit(1);
}
