// Issue "query language" benchmark: a `userName eq` filter and a cursor page at the end of
// the set, each at 1,000 and at 100,000 users, measured in one run (autocannon on loopback).
// The claim to check: the 100,000-user figure is no worse than twice the 1,000-user one.
// Usage: npm run build && node bench/query-scale.js   (BENCH_SECONDS, BENCH_LARGE, BENCH_SMALL)
import autocannon from 'autocannon';
import { startServer } from './server.js';
import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexedMultiValuedAttributes } from '../dist/users/multi-values.js';
import { toUserWrite } from '../dist/users/user.mapper.js';
import { DEFAULT_INPUT_LIMITS } from '../dist/scim/resource/input-limits.js';
import { SchemaRegistry } from '../dist/scim/schema/schema-registry.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SIZES = [Number(process.env.BENCH_SMALL ?? 1000), Number(process.env.BENCH_LARGE ?? 100000)];
const TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const HEADERS = { authorization: `Bearer ${TOKEN}` };
const indexed = indexedMultiValuedAttributes(new SchemaRegistry());

/** Rows written the way the server writes them (same mapper), in one transaction, for speed. */
function seed(path, n) {
  const db = new Database(path);
  const insertUser =
    db.prepare(`INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, active,
    created, last_modified, version, doc, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, NULL)`);
  const insertValue =
    db.prepare(`INSERT INTO multi_values (resource_id, attr, idx, value_key, type_key, display_key, is_primary)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const base = Date.parse('2026-01-01T00:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const doc = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `user.${i}@example.com`,
        externalId: `ext-${i}`,
        name: { givenName: `Given${i}`, familyName: `Family${i}` },
        displayName: `User ${i}`,
        active: true,
        emails: [{ value: `user.${i}@example.com`, type: 'work', primary: true }],
      };
      const w = toUserWrite(doc, indexed, DEFAULT_INPUT_LIMITS);
      const id = randomUUID();
      const at = new Date(base + i * 1000).toISOString();
      insertUser.run(id, w.userName, w.userNameKey, w.externalId, w.displayName, w.displayNameKey, 1, at, at, w.doc);
      for (const m of w.multiValues)
        insertValue.run(id, m.attr, m.idx, m.valueKey, m.typeKey, m.displayKey, m.isPrimary ? 1 : 0);
    }
  })();
  db.close();
}

async function lastCursor(url) {
  let cursor = '';
  for (;;) {
    const res = await fetch(`${url}/scim/v2/Users?count=100&attributes=userName&cursor=${encodeURIComponent(cursor)}`, {
      headers: HEADERS,
    });
    const body = await res.json();
    if (!body.nextCursor) return cursor;
    cursor = body.nextCursor;
  }
}

function measure(url, paths, seconds = SECONDS) {
  let n = 0;
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        connections: 4,
        duration: seconds,
        headers: HEADERS,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length] }) }],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    ),
  );
}

const rows = [];
for (const [i, size] of SIZES.entries()) {
  const dir = mkdtempSync(join(tmpdir(), 'scim-scale-'));
  const path = join(dir, 'scale.sqlite');
  let server = await startServer(21000 + i, { SCIM_BOOTSTRAP_TOKEN: TOKEN, SQLITE_PATH: path });
  await server.stop();
  const t0 = Date.now();
  seed(path, size);
  const seeded = Date.now() - t0;
  server = await startServer(21100 + i, { SCIM_BOOTSTRAP_TOKEN: TOKEN, SQLITE_PATH: path });
  try {
    const names = Array.from(
      { length: 500 },
      (_, k) => `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "USER.${(k * 7919) % size}@example.com"`)}`,
    );
    await measure(server.url, names.slice(0, 50), 1);
    const byName = await measure(server.url, names);
    const cursor = await lastCursor(server.url);
    const endPage = await measure(server.url, [
      `/scim/v2/Users?count=100&attributes=userName&cursor=${encodeURIComponent(cursor)}`,
    ]);
    rows.push({ size, seeded, byName, endPage });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
const [small, large] = rows;
const line = (name, a, b) =>
  `| ${name} | ${a.latency.mean.toFixed(2)} | ${b.latency.mean.toFixed(2)} | ${(b.latency.mean / a.latency.mean).toFixed(2)} | ${a.non2xx + b.non2xx} |`;
console.log(
  `\nSQLite, 4 connections, ${SECONDS} s per measurement; seeded ${small.size} users in ${small.seeded} ms and ${large.size} in ${large.seeded} ms\n`,
);
console.log(
  `| request | mean ms at ${small.size} | mean ms at ${large.size} | ratio | non-2xx |\n|---|---|---|---|---|`,
);
console.log(line('GET /Users?filter=userName eq "…"', small.byName, large.byName));
console.log(line('GET /Users?count=100&cursor=<last page>', small.endPage, large.endPage));
