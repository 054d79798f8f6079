// Issue 7, fault 2: do the expensive filters stall the server? Seeds BENCH_USERS (100,000) users
// and nested groups straight into SQLite, starts the built server, sends each filter while another
// loop (in this process, not the server's) polls /health every 10 ms, and prints per filter the
// status, its duration and the worst /health latency seen meanwhile: the event-loop stall.
// Usage: npm run build && node bench/filter-stall.js   (BENCH_USERS, BENCH_READ_WORKERS, BENCH_JSON)
import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server.js';
import { indexedMultiValuedAttributes } from '../dist/users/multi-values.js';
import { toUserWrite } from '../dist/users/user.mapper.js';
import { DEFAULT_INPUT_LIMITS } from '../dist/scim/resource/input-limits.js';
import { SchemaRegistry } from '../dist/scim/schema/schema-registry.js';
import { foldKey } from '../dist/scim/resource/fold-key.js';

const USERS = Number(process.env.BENCH_USERS ?? 100000);
const GROUPS = 100;
const TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
const indexed = indexedMultiValuedAttributes(new SchemaRegistry());

/** Users with a home/work address at d(i % 50) and a second work address; groups 10..99 nested in 0..9. */
function seed(path) {
  const db = new Database(path);
  const insertUser =
    db.prepare(`INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, active,
    created, last_modified, version, doc, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, NULL)`);
  const insertValue =
    db.prepare(`INSERT INTO multi_values (resource_id, attr, idx, value_key, type_key, display_key, is_primary)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insertGroup =
    db.prepare(`INSERT INTO groups (id, display_name, display_name_key, external_id, created, last_modified, version, doc)
    VALUES (?, ?, ?, NULL, ?, ?, 1, ?)`);
  const insertMember = db.prepare('INSERT INTO group_members (group_id, member_id, member_type) VALUES (?, ?, ?)');
  const base = Date.parse('2026-01-01T00:00:00Z');
  db.transaction(() => {
    const groups = Array.from({ length: GROUPS }, (_, g) => {
      const id = randomUUID();
      const name = `Group ${g}`;
      const at = new Date(base).toISOString();
      insertGroup.run(
        id,
        name,
        foldKey(name),
        at,
        at,
        JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: name }),
      );
      return id;
    });
    for (let g = 10; g < GROUPS; g++) insertMember.run(groups[g % 10], groups[g], 'Group');
    for (let i = 0; i < USERS; i++) {
      const doc = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `user.${i}@example.com`,
        externalId: `ext-${i}`,
        displayName: `User ${i}`,
        title: `Title ${i % 1000}`,
        active: true,
        emails: [
          { value: `user${i}@d${i % 50}.example`, type: i % 3 === 0 ? 'work' : 'home' },
          { value: `alt${i}@other.example`, type: 'work' },
        ],
      };
      const w = toUserWrite(doc, indexed, DEFAULT_INPUT_LIMITS);
      const id = randomUUID();
      const at = new Date(base + i * 1000).toISOString();
      insertUser.run(id, w.userName, w.userNameKey, w.externalId, w.displayName, w.displayNameKey, 1, at, at, w.doc);
      for (const m of w.multiValues)
        insertValue.run(id, m.attr, m.idx, m.valueKey, m.typeKey, m.displayKey, m.isPrimary ? 1 : 0);
      insertMember.run(groups[i % GROUPS], id, 'User');
    }
  })();
  db.close();
}

const orOf = (n, term) => Array.from({ length: n }, (_, i) => term(i)).join(' or ');
const FILTERS = [
  [
    '25 x emails[value co and type eq "work"] (the fault)',
    orOf(25, (k) => `emails[value co "@d${k}." and type eq "work"]`),
  ],
  ['200 x groups.type eq "indirect" (the fault)', orOf(200, () => 'groups.type eq "indirect"')],
  ['17 x groups.type eq "indirect" (at the budget)', orOf(17, () => 'groups.type eq "indirect"')],
  ['50 x emails co (at the budget)', orOf(50, (k) => `emails co "x${k}"`)],
  ['50 x title eq (document, at the budget)', orOf(50, (k) => `title eq "Title ${k}"`)],
  ['200 x userName eq (IdP lookups)', orOf(200, (k) => `userName eq "user.${k * 499}@example.com"`)],
];

/** Polls /health every 10 ms until `done` resolves; the worst latency seen. */
async function worstHealth(url, done) {
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  let worst = 0;
  while (!finished) {
    const t0 = performance.now();
    await fetch(`${url}/health`).then((r) => r.arrayBuffer());
    worst = Math.max(worst, performance.now() - t0);
    // A pause between probes, so that polling does not itself take a core from the filter.
    await new Promise((r) => setTimeout(r, 10));
  }
  return worst;
}

const dir = mkdtempSync(join(tmpdir(), 'scim-stall-'));
const path = join(dir, 'stall.sqlite');
const env = {
  SCIM_BOOTSTRAP_TOKEN: TOKEN,
  SQLITE_PATH: path,
  ...(process.env.BENCH_READ_WORKERS ? { SQLITE_READ_WORKERS: process.env.BENCH_READ_WORKERS } : {}),
};
let server = await startServer(21300, env);
await server.stop();
const t0 = Date.now();
seed(path);
console.log(`seeded ${USERS} users and ${GROUPS} groups in ${Date.now() - t0} ms`);
server = await startServer(21301, env);
const results = [];
try {
  for (const [name, filter] of FILTERS) {
    const start = performance.now();
    const request = fetch(`${server.url}/scim/v2/Users/.search`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter,
        attributes: ['userName'],
        count: 10,
      }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const worst = await worstHealth(server.url, request);
    const { status, body } = await request;
    const row = {
      filter: name,
      status,
      totalResults: body.totalResults ?? null,
      ms: Math.round(performance.now() - start),
      worstHealthMs: Math.round(worst),
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
const worst = Math.max(...results.map((r) => r.worstHealthMs));
console.log(
  `worst /health latency while the filters ran: ${worst} ms (users: ${USERS}, read workers: ${process.env.BENCH_READ_WORKERS ?? 'default'})`,
);
if (process.env.BENCH_JSON)
  writeFileSync(process.env.BENCH_JSON, JSON.stringify({ users: USERS, results, worstHealthMs: worst }, null, 2));
