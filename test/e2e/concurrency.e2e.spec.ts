import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Json } from '../setup/patch-helpers.js';
import { processDatabase, startServerProcess, type ServerProcess } from '../setup/server-process.js';
import { BASE, ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA, usingPostgres } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const bootstrap = `concurrency-${randomBytes(16).toString('hex')}`;

async function call(
  url: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; etag: string | null; body: Json }> {
  const res = await fetch(`${url}${BASE}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${bootstrap}`, 'Content-Type': 'application/scim+json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: text ? (JSON.parse(text) as Json) : {} };
}

/**
 * Lost updates under concurrent PATCH (IdPs send PATCHes to one group in parallel): real server processes, as in
 * multi-process.e2e.spec.ts. On PostgreSQL two instances share one database; SQLite allows
 * one process per file, so there the requests all go to one instance.
 */
describe(`Concurrent PATCH on ${usingPostgres() ? 'one PostgreSQL, two instances' : 'SQLite, one instance'}`, () => {
  const servers: ServerProcess[] = [];
  let cleanup: () => void = () => undefined;
  let sqlitePath = '';

  before(async () => {
    const database = await processDatabase('scim-concurrency-', bootstrap);
    cleanup = database.cleanup;
    sqlitePath = database.sqlitePath ?? '';
    const count = usingPostgres() ? 2 : 1;
    // One after the other: the first runs the migrations.
    for (let i = 0; i < count; i++) servers.push(await startServerProcess(database.env));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    cleanup();
  });

  /** A read-only look at the database the servers share. */
  async function sql(query: string): Promise<Json[]> {
    if (usingPostgres()) {
      const client = new pg.Client({ connectionString: process.env['DATABASE_URL'] ?? '' });
      await client.connect();
      try {
        return (await client.query(query)).rows as Json[];
      } finally {
        await client.end();
      }
    }
    const db = new Database(sqlitePath, { readonly: true });
    try {
      return db.prepare(query).all() as Json[];
    } finally {
      db.close();
    }
  }

  const server = (i: number): string => servers[i % servers.length].url;

  it('100 concurrent PATCHes, each adding a different member to one group: all 200, exactly 100 members', async () => {
    const users: string[] = [];
    for (let i = 0; i < 100; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          call(server(i + j), '/Users', {
            method: 'POST',
            body: { schemas: [USER_SCHEMA], userName: `concurrent.${i + j}@example.com` },
          }),
        ),
      );
      for (const res of batch) {
        assert.equal(res.status, 201, JSON.stringify(res.body));
        users.push(res.body.id);
      }
    }
    const group = await call(server(0), '/Groups', {
      method: 'POST',
      body: { schemas: [GROUP_SCHEMA], displayName: 'Contended' },
    });
    assert.equal(group.status, 201);
    const gid: string = group.body.id;

    const results = await Promise.all(
      users.map((id, i) =>
        call(server(i), `/Groups/${gid}?excludedAttributes=members`, {
          method: 'PATCH',
          body: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
      `statuses: ${statuses.join(',')}`,
    );
    // Each PATCH saw its own new version: 2 … 101, each exactly once.
    assert.deepEqual(results.map((r) => r.etag).sort(), Array.from({ length: 100 }, (_, i) => `W/"${i + 2}"`).sort());

    for (const url of servers.map((s) => s.url)) {
      const got = await call(url, `/Groups/${gid}`);
      assert.equal(got.status, 200);
      assert.equal(got.etag, 'W/"101"');
      assert.deepEqual(got.body.members.map((m: Json) => m.value).sort(), [...users].sort());
    }
    const rows = await sql(`SELECT member_id FROM group_members WHERE group_id = '${gid}' ORDER BY member_id`);
    assert.deepEqual(
      rows.map((r) => r['member_id']),
      [...users].sort(),
    );
    const [groupRow] = await sql(`SELECT version FROM groups WHERE id = '${gid}'`);
    assert.equal(Number(groupRow['version']), 101);
    const versions = await sql(`SELECT version FROM users WHERE id IN (${users.map((u) => `'${u}'`).join(', ')})`);
    assert.deepEqual(
      versions.map((r) => Number(r['version'])),
      users.map(() => 2),
      'every user was bumped exactly once',
    );
  });

  it('50 concurrent removes and 50 concurrent adds on one group: all 200, the final set is exact', async () => {
    const users: string[] = [];
    for (let i = 0; i < 100; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, (_, j) =>
          call(server(i + j), '/Users', {
            method: 'POST',
            body: { schemas: [USER_SCHEMA], userName: `mixed.${i + j}@example.com` },
          }),
        ),
      );
      users.push(
        ...batch.map((res) => {
          assert.equal(res.status, 201);
          return res.body.id as string;
        }),
      );
    }
    const leaving = users.slice(0, 50);
    const joining = users.slice(50);
    const group = await call(server(1), '/Groups', {
      method: 'POST',
      body: { schemas: [GROUP_SCHEMA], displayName: 'Mixed', members: leaving.map((value) => ({ value })) },
    });
    assert.equal(group.status, 201);
    const gid: string = group.body.id;
    const ops = [
      ...leaving.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
      ...joining.map((id) => ({ op: 'add', path: 'members', value: [{ value: id }] })),
    ];
    const results = await Promise.all(
      ops.map((op, i) =>
        call(server(i), `/Groups/${gid}?excludedAttributes=members`, {
          method: 'PATCH',
          body: { schemas: [PATCH_OP], Operations: [op] },
        }),
      ),
    );
    assert.deepEqual(
      results.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`),
      [],
    );
    const rows = await sql(`SELECT member_id FROM group_members WHERE group_id = '${gid}' ORDER BY member_id`);
    assert.deepEqual(
      rows.map((r) => r['member_id']),
      [...joining].sort(),
    );
    const got = await call(server(0), `/Groups/${gid}`);
    assert.equal(got.etag, 'W/"101"');
    assert.deepEqual(got.body.members.map((m: Json) => m.value).sort(), [...joining].sort());
    const versions = await sql(`SELECT id, version FROM users WHERE id IN (${users.map((u) => `'${u}'`).join(', ')})`);
    const byId = new Map(versions.map((r) => [r['id'], Number(r['version'])]));
    assert.deepEqual(
      leaving.map((id) => byId.get(id)),
      leaving.map(() => 3),
      'joined at creation, left once',
    );
    assert.deepEqual(
      joining.map((id) => byId.get(id)),
      joining.map(() => 2),
      'joined once',
    );
  });

  it('20 groups gaining the same 30 users concurrently (in different orders): all 200, each user bumped once per group', async () => {
    const users: string[] = [];
    const batch = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(server(i), '/Users', {
          method: 'POST',
          body: { schemas: [USER_SCHEMA], userName: `shared.${i}@example.com` },
        }),
      ),
    );
    users.push(...batch.map((res) => res.body.id as string));
    const groups = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(server(i), '/Groups', { method: 'POST', body: { schemas: [GROUP_SCHEMA], displayName: `Shared ${i}` } }),
      ),
    );
    const results = await Promise.all(
      groups.map((g, i) => {
        const order = i % 2 ? [...users].reverse() : [...users.slice(i), ...users.slice(0, i)];
        return call(server(i), `/Groups/${g.body.id}?excludedAttributes=members`, {
          method: 'PATCH',
          body: {
            schemas: [PATCH_OP],
            Operations: [{ op: 'add', path: 'members', value: order.map((value) => ({ value })) }],
          },
        });
      }),
    );
    assert.deepEqual(
      results.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`),
      [],
    );
    const versions = await sql(`SELECT version FROM users WHERE id IN (${users.map((u) => `'${u}'`).join(', ')})`);
    assert.deepEqual(
      versions.map((r) => Number(r['version'])),
      users.map(() => 21),
    );
    const [{ n }] = (await sql(
      `SELECT COUNT(*) AS n FROM group_members WHERE group_id IN (${groups.map((g) => `'${g.body.id}'`).join(', ')})`,
    )) as [Json];
    assert.equal(Number(n), 600);
    const one = await call(server(1), `/Users/${users[0]}`);
    assert.equal(one.etag, 'W/"21"');
    assert.equal(one.body.groups.length, 20);
  });

  it('a user PATCHed while 10 groups add it concurrently: nothing lost, every change is its own version', async () => {
    const created = await call(server(0), '/Users', {
      method: 'POST',
      body: { schemas: [USER_SCHEMA], userName: 'mixed.writers@example.com' },
    });
    assert.equal(created.status, 201);
    const id: string = created.body.id;
    const groups = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(server(i), '/Groups', {
          method: 'POST',
          body: { schemas: [GROUP_SCHEMA], displayName: `Mixed Writers ${i}` },
        }),
      ),
    );
    const fields = [
      'displayName',
      'nickName',
      'title',
      'userType',
      'locale',
      'timezone',
      'profileUrl',
      'preferredLanguage',
      'name.givenName',
      'name.familyName',
    ];
    const [userResults, groupResults] = await Promise.all([
      Promise.all(
        fields.map((path, i) =>
          call(server(i), `/Users/${id}`, {
            method: 'PATCH',
            body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value: `v-${i}` }] },
          }),
        ),
      ),
      Promise.all(
        groups.map((g, i) =>
          call(server(i + 1), `/Groups/${g.body.id}?excludedAttributes=members`, {
            method: 'PATCH',
            body: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] },
          }),
        ),
      ),
    ]);
    assert.deepEqual(
      [...userResults, ...groupResults].map((r) => r.status),
      Array.from({ length: 20 }, () => 200),
    );
    const userEtags = userResults.map((r) => Number(/"(\d+)"/.exec(r.etag ?? '')?.[1]));
    assert.equal(new Set(userEtags).size, 10, `distinct versions: ${userEtags.join(',')}`);
    assert.ok(
      userEtags.every((v) => v >= 2 && v <= 21),
      userEtags.join(','),
    );
    const got = await call(server(1), `/Users/${id}`);
    assert.equal(got.etag, 'W/"21"', '1 + 10 attribute changes + 10 memberships');
    assert.equal(got.body.groups.length, 10);
    assert.deepEqual([got.body.displayName, got.body.name.familyName], ['v-0', 'v-9']);
  });

  it('10 concurrent PATCHes with the same current If-Match: exactly one 200, nine 412, one new version', async () => {
    const created = await call(server(0), '/Users', {
      method: 'POST',
      body: { schemas: [USER_SCHEMA], userName: 'if-match.race@example.com' },
    });
    assert.equal(created.status, 201);
    const id: string = created.body.id;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${server(i)}${BASE}/Users/${id}`, {
          method: 'PATCH',
          headers: {
            Authorization: `Bearer ${bootstrap}`,
            'Content-Type': 'application/scim+json',
            'If-Match': 'W/"1"',
          },
          body: JSON.stringify({
            schemas: [PATCH_OP],
            Operations: [{ op: 'replace', path: 'displayName', value: `writer ${i}` }],
          }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as Json })),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const got = await call(server(1), `/Users/${id}`);
    assert.equal(got.etag, 'W/"2"');
    assert.equal(got.body.displayName, winner.body.displayName);
    const [row] = await sql(`SELECT version FROM users WHERE id = '${id}'`);
    assert.equal(Number(row['version']), 2);
  });

  it('20 concurrent PATCHes of different attributes of one user: all 200, none lost, version = 1 + 20', async () => {
    const created = await call(server(0), '/Users', {
      method: 'POST',
      body: { schemas: [USER_SCHEMA], userName: 'contended.user@example.com' },
    });
    assert.equal(created.status, 201);
    const id: string = created.body.id;
    const changes: [string, string][] = [
      ['displayName', 'Display'],
      ['nickName', 'Nick'],
      ['profileUrl', 'https://example.com/p'],
      ['title', 'Title'],
      ['userType', 'Employee'],
      ['preferredLanguage', 'en-GB'],
      ['locale', 'en-GB'],
      ['timezone', 'Europe/Brussels'],
      ['externalId', 'ext-contended'],
      ['name.givenName', 'Given'],
      ['name.familyName', 'Family'],
      ['name.middleName', 'Middle'],
      ['name.honorificPrefix', 'Dr.'],
      ['name.honorificSuffix', 'III'],
      ['name.formatted', 'Dr. Given Middle Family III'],
      [`${ENTERPRISE}:employeeNumber`, '42'],
      [`${ENTERPRISE}:costCenter`, 'CC'],
      [`${ENTERPRISE}:organization`, 'Org'],
      [`${ENTERPRISE}:division`, 'Div'],
      [`${ENTERPRISE}:department`, 'Dept'],
    ];
    assert.equal(changes.length, 20);
    const results = await Promise.all(
      changes.map(([path, value], i) =>
        call(server(i), `/Users/${id}`, {
          method: 'PATCH',
          body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value }] },
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      changes.map(() => 200),
      results.map((r) => JSON.stringify(r.body)).join('\n'),
    );
    assert.deepEqual(results.map((r) => r.etag).sort(), Array.from({ length: 20 }, (_, i) => `W/"${i + 2}"`).sort());

    const got = await call(server(1), `/Users/${id}`);
    assert.equal(got.etag, 'W/"21"');
    const valueAt = (doc: Json, path: string): unknown => {
      if (path.startsWith(ENTERPRISE)) return doc[ENTERPRISE]?.[path.slice(ENTERPRISE.length + 1)];
      const [top, sub] = path.split('.');
      return sub ? doc[top]?.[sub] : doc[top];
    };
    assert.deepEqual(
      changes.map(([path]) => valueAt(got.body, path)),
      changes.map(([, value]) => value),
    );
    const [row] = await sql(`SELECT version, doc FROM users WHERE id = '${id}'`);
    assert.equal(Number(row['version']), 21);
    const doc = JSON.parse(String(row['doc'])) as Json;
    assert.deepEqual(
      changes.map(([path]) => valueAt(doc, path)),
      changes.map(([, value]) => value),
    );

    // The same 20 again change nothing: no new version.
    const again = await Promise.all(
      changes.map(([path, value], i) =>
        call(server(i), `/Users/${id}`, {
          method: 'PATCH',
          body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value }] },
        }),
      ),
    );
    assert.deepEqual(
      again.map((r) => `${r.status} ${r.etag}`),
      changes.map(() => '200 W/"21"'),
    );
  });
});
