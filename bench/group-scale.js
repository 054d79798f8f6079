// Issue "PATCH and groups at scale" benchmark, one run, SQLite, GROUP_PATCH_STATUS=204 (as IdPs use it):
//  a) adding one member to a group of 100,000 vs to a group of 10;
//  b) adding 1,000 members in one PATCH to a group of 100,000 vs to an empty group.
// The claim to check: each large case is no worse than twice its small case.
// Usage: npm run build && node bench/group-scale.js   (BENCH_SECONDS, BENCH_MEMBERS)
import autocannon from 'autocannon';
import { startServer } from './server.js';
import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100000);
const SPARE = 40000;
const BATCH = 1000;
const ROUNDS = 5;
const TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

/** Users and memberships written straight into the database, for speed; the server reads them as its own. */
function seed(path) {
  const db = new Database(path);
  const at = '2026-01-01T00:00:00.000Z';
  const user = db.prepare(
    `INSERT INTO users (id, user_name, user_name_key, created, last_modified, version, doc) VALUES (?, ?, ?, ?, ?, 1, ?)`,
  );
  const group = db.prepare(
    `INSERT INTO groups (id, display_name, display_name_key, created, last_modified, version, doc) VALUES (?, ?, ?, ?, ?, 1, ?)`,
  );
  const member = db.prepare(`INSERT INTO group_members (group_id, member_id, member_type) VALUES (?, ?, 'User')`);
  const ids = [];
  const groups = { big: randomUUID(), small: randomUUID(), empty: randomUUID() };
  db.transaction(() => {
    for (let i = 0; i < MEMBERS + SPARE; i++) {
      const id = randomUUID();
      const name = `member.${i}@example.com`;
      user.run(
        id,
        name,
        name,
        at,
        at,
        JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name }),
      );
      ids.push(id);
    }
    for (const [key, gid] of Object.entries(groups)) {
      group.run(
        gid,
        key,
        key,
        at,
        at,
        JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: key }),
      );
    }
    for (let i = 0; i < MEMBERS; i++) member.run(groups.big, ids[i]);
    for (let i = 0; i < 10; i++) member.run(groups.small, ids[i]);
  })();
  db.close();
  return { groups, spare: ids.slice(MEMBERS) };
}

const addBody = (ids) =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
  });

function addOneEach(url, groupId, pool) {
  let n = 0;
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        connections: 4,
        duration: SECONDS,
        headers: HEADERS,
        requests: [
          {
            method: 'PATCH',
            setupRequest: (req) => ({
              ...req,
              path: `/scim/v2/Groups/${groupId}`,
              body: addBody([pool[n++ % pool.length]]),
            }),
          },
        ],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    ),
  );
}

async function addBatches(url, groupId, pool) {
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ids = pool.slice(round * BATCH, (round + 1) * BATCH);
    const t0 = performance.now();
    const res = await fetch(`${url}/scim/v2/Groups/${groupId}`, {
      method: 'PATCH',
      headers: HEADERS,
      body: addBody(ids),
    });
    if (res.status !== 204) throw new Error(`batch add: ${res.status} ${await res.text()}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const dir = mkdtempSync(join(tmpdir(), 'scim-groups-'));
const path = join(dir, 'groups.sqlite');
const env = { SCIM_BOOTSTRAP_TOKEN: TOKEN, SQLITE_PATH: path, GROUP_PATCH_STATUS: '204' };
let server = await startServer(22001, env);
await server.stop();
const t0 = Date.now();
const { groups, spare } = seed(path);
console.log(`seeded ${MEMBERS + SPARE} users and a ${MEMBERS}-member group in ${Date.now() - t0} ms`);
server = await startServer(22002, env);
try {
  const quarter = Math.floor(SPARE / 4);
  await addOneEach(server.url, groups.small, spare.slice(0, 200)).then(() => undefined);
  const small = await addOneEach(server.url, groups.small, spare.slice(0, quarter));
  const big = await addOneEach(server.url, groups.big, spare.slice(quarter, 2 * quarter));
  const emptyBatch = await addBatches(server.url, groups.empty, spare.slice(2 * quarter, 3 * quarter));
  const bigBatch = await addBatches(server.url, groups.big, spare.slice(3 * quarter));
  const check = await fetch(`${server.url}/scim/v2/Groups/${groups.big}?attributes=displayName`, { headers: HEADERS });
  if (check.status !== 200) throw new Error('group read failed');
  console.log(
    `\nSQLite, GROUP_PATCH_STATUS=204; one-member adds: 4 connections for ${SECONDS} s; 1,000-member adds: median of ${ROUNDS}\n`,
  );
  console.log('| request | small group | group of ' + MEMBERS + ' | ratio | non-2xx |\n|---|---|---|---|---|');
  console.log(
    `| PATCH add 1 member (mean ms; small = 10 members) | ${small.latency.mean.toFixed(2)} | ${big.latency.mean.toFixed(2)} | ${(big.latency.mean / small.latency.mean).toFixed(2)} | ${small.non2xx + big.non2xx} |`,
  );
  console.log(
    `| PATCH add 1,000 members (ms; small = empty group) | ${emptyBatch.toFixed(1)} | ${bigBatch.toFixed(1)} | ${(bigBatch / emptyBatch).toFixed(2)} | 0 |`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
