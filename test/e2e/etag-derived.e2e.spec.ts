import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { groupBody } from '../setup/group-helpers.js';
import type { Json } from '../setup/patch-helpers.js';
import { BASE, SCIM_JSON, startTestApp, userBody, usingPostgres, type TestApp } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * RFC 7644 §3.14: a version changes whenever the representation does, derived parts
 * included (`groups` of a user, `members[].display` of a group). Each case: GET (ETag),
 * the change, then GET with If-None-Match of the old ETag answers 200 with the new data.
 */
describe('ETags follow derived attributes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
    t
      .req(method, `${BASE}${path}`)
      .set('Content-Type', SCIM_JSON)
      .send(body as object);
  const patch = (path: string, ops: Json[]) => send('patch', path, { schemas: [PATCH_OP], Operations: ops });
  const create = async (path: '/Users' | '/Groups', body: Json): Promise<string> => {
    const res = await send('post', path, body);
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const user = (name: string, extra: Json = {}) => create('/Users', userBody(name, extra));
  const group = (name: string, members: string[] = []) =>
    create('/Groups', groupBody(name, { members: members.map((value) => ({ value })) }));
  const etag = async (path: string): Promise<string> => {
    const res = await t.req('get', `${BASE}${path}`);
    assert.equal(res.status, 200, res.text);
    return String(res.headers['etag']);
  };
  /** The resource changed: the old ETag no longer matches, and the body is current. */
  const changedSince = async (path: string, old: string): Promise<Json> => {
    const res = await t.req('get', `${BASE}${path}`).set('If-None-Match', old);
    assert.equal(res.status, 200, `${path} still answers ${res.status} to If-None-Match ${old}`);
    assert.notEqual(res.headers['etag'], old);
    return res.body as Json;
  };
  const unchangedSince = async (path: string, old: string): Promise<void> => {
    const res = await t.req('get', `${BASE}${path}`).set('If-None-Match', old);
    assert.equal(res.status, 304, `${path}: ${res.status} ${res.text}`);
  };
  const displayOf = (body: Json, attr: 'groups' | 'members', id: string) =>
    (body[attr] as Json[] | undefined)?.find((g) => g.value === id)?.display;

  it('a group rename changes its direct and indirect users and the groups it is nested in', async () => {
    const direct = await user('rename.direct');
    const below = await user('rename.below');
    const sub = await group('Rename Sub', [below]);
    const renamed = await group('Rename Me', [direct, sub]);
    const parent = await group('Rename Parent', [renamed]);
    const old = {
      direct: await etag(`/Users/${direct}`),
      below: await etag(`/Users/${below}`),
      parent: await etag(`/Groups/${parent}`),
      sub: await etag(`/Groups/${sub}`),
    };
    const res = await patch(`/Groups/${renamed}`, [{ op: 'replace', path: 'displayName', value: 'Renamed' }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(displayOf(await changedSince(`/Users/${direct}`, old.direct), 'groups', renamed), 'Renamed');
    assert.equal(displayOf(await changedSince(`/Users/${below}`, old.below), 'groups', renamed), 'Renamed');
    assert.equal(displayOf(await changedSince(`/Groups/${parent}`, old.parent), 'members', renamed), 'Renamed');
    // The nested group's own representation does not show its parents.
    await unchangedSince(`/Groups/${sub}`, old.sub);
  });

  it('a group rename by PUT changes its users too', async () => {
    const member = await user('put.rename.member');
    const renamed = await group('Put Rename', [member]);
    const old = await etag(`/Users/${member}`);
    const res = await send('put', `/Groups/${renamed}`, groupBody('Put Renamed', { members: [{ value: member }] }));
    assert.equal(res.status, 200, res.text);
    assert.equal(displayOf(await changedSince(`/Users/${member}`, old), 'groups', renamed), 'Put Renamed');
  });

  it("a user's displayName change changes members[].display of its groups; other changes do not", async () => {
    const member = await user('display.member', { displayName: 'Before' });
    const g = await group('Display Group', [member]);
    let old = await etag(`/Groups/${g}`);
    const res = await patch(`/Users/${member}`, [{ op: 'replace', path: 'displayName', value: 'After' }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(displayOf(await changedSince(`/Groups/${g}`, old), 'members', member), 'After');
    old = await etag(`/Groups/${g}`);
    assert.equal((await patch(`/Users/${member}`, [{ op: 'replace', path: 'title', value: 'Boss' }])).status, 200);
    await unchangedSince(`/Groups/${g}`, old);
  });

  it('a userName change of a user without displayName changes its groups (display falls back to userName)', async () => {
    const member = await user('fallback.before');
    const g = await group('Fallback Group', [member]);
    const old = await etag(`/Groups/${g}`);
    const res = await send('put', `/Users/${member}`, userBody('fallback.after'));
    assert.equal(res.status, 200, res.text);
    assert.equal(displayOf(await changedSince(`/Groups/${g}`, old), 'members', member), 'fallback.after');
  });

  it('adding, removing and deleting a nested group changes the indirect groups of every user below it', async () => {
    const deep = await user('nested.deep');
    const mid = await user('nested.mid');
    const leaf = await group('Nested Leaf', [deep]);
    const sub = await group('Nested Sub', [mid, leaf]);
    const top = await group('Nested Top');
    const paths = [`/Users/${deep}`, `/Users/${mid}`];

    let old = await Promise.all(paths.map(etag));
    assert.equal(
      (await patch(`/Groups/${top}`, [{ op: 'add', path: 'members', value: [{ value: sub }] }])).status,
      200,
    );
    for (const [i, path] of paths.entries()) {
      const body = await changedSince(path, old[i]);
      assert.equal(body.groups.find((g: Json) => g.value === top)?.type, 'indirect');
    }

    old = await Promise.all(paths.map(etag));
    assert.equal((await patch(`/Groups/${top}`, [{ op: 'remove', path: `members[value eq "${sub}"]` }])).status, 200);
    for (const [i, path] of paths.entries()) {
      assert.equal(displayOf(await changedSince(path, old[i]), 'groups', top), undefined);
    }

    assert.equal(
      (await patch(`/Groups/${top}`, [{ op: 'add', path: 'members', value: [{ value: sub }] }])).status,
      200,
    );
    old = await Promise.all(paths.map(etag));
    assert.equal((await t.req('delete', `${BASE}/Groups/${top}`)).status, 204);
    for (const [i, path] of paths.entries()) {
      assert.equal(displayOf(await changedSince(path, old[i]), 'groups', top), undefined);
    }

    old = await Promise.all(paths.map(etag));
    assert.equal((await t.req('delete', `${BASE}/Groups/${sub}`)).status, 204);
    const body = await changedSince(`/Users/${deep}`, old[0]);
    assert.deepEqual(
      body.groups.map((g: Json) => g.value),
      [leaf],
    );
  });

  it('a member replace by PUT that drops a nested group changes the users below it', async () => {
    const below = await user('put.nested.below');
    const sub = await group('Put Nested Sub', [below]);
    const top = await group('Put Nested Top', [sub]);
    const old = await etag(`/Users/${below}`);
    assert.equal((await send('put', `/Groups/${top}`, groupBody('Put Nested Top', { members: [] }))).status, 200);
    assert.equal(displayOf(await changedSince(`/Users/${below}`, old), 'groups', top), undefined);
  });
});

describe(
  'Lock order of derived version bumps (PostgreSQL)',
  { skip: !usingPostgres() && 'PostgreSQL only: SQLite has one writer' },
  () => {
    let t: TestApp;
    let client: pg.Client;
    before(async () => {
      t = await startTestApp();
      client = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
      await client.connect();
    });
    after(async () => {
      await client.end();
      await t.close();
    });

    const send = (method: 'post' | 'patch', path: string, body: unknown) =>
      t
        .req(method, `${BASE}${path}`)
        .set('Content-Type', SCIM_JSON)
        .send(body as object);
    const create = async (path: '/Users' | '/Groups', body: Json): Promise<string> => {
      const res = await send('post', path, body);
      assert.equal(res.status, 201, res.text);
      return res.body.id as string;
    };

    it("a user rename waits for its groups before it holds its own row, so a group change's user bump never deadlocks", async () => {
      const u = await create('/Users', userBody('lock.order'));
      const g = await create('/Groups', groupBody('Lock Order', { members: [{ value: u }] }));
      // This session plays a group PATCH: it holds the group, then bumps the user.
      await client.query('BEGIN');
      await client.query("SET LOCAL deadlock_timeout = '10ms'");
      await client.query('SELECT id FROM groups WHERE id = $1 FOR NO KEY UPDATE', [g]);
      const rename = send('patch', `/Users/${u}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }],
      }).then((r) => r);
      // Barrier: the rename is blocked on a lock this session holds.
      for (;;) {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM pg_locks l WHERE NOT l.granted AND l.pid <> pg_backend_pid()
           AND EXISTS (SELECT 1 FROM pg_locks h WHERE h.pid = pg_backend_pid() AND h.granted
             AND h.locktype = l.locktype AND h.transactionid IS NOT DISTINCT FROM l.transactionid
             AND h.relation IS NOT DISTINCT FROM l.relation AND h.page IS NOT DISTINCT FROM l.page AND h.tuple IS NOT DISTINCT FROM l.tuple)`,
        );
        if (rows[0].n > 0) break;
        await new Promise((r) => setImmediate(r));
      }
      // Without the lock order the rename would hold the user row here: deadlock_detected.
      await client.query('UPDATE users SET version = version + 1 WHERE id = $1', [u]);
      await client.query('COMMIT');
      const res = await rename;
      assert.equal(res.status, 200, res.text);
      const [row] = (await client.query('SELECT version FROM groups WHERE id = $1', [g])).rows;
      assert.equal(Number(row.version), 2);
    });

    it('parallel user renames and group PATCHes over the same users and groups all succeed', async () => {
      const users: string[] = [];
      for (let i = 0; i < 6; i++) users.push(await create('/Users', userBody(`parallel.${i}`)));
      const groups: string[] = [];
      for (let i = 0; i < 3; i++)
        groups.push(
          await create('/Groups', groupBody(`Parallel ${i}`, { members: users.map((value) => ({ value })) })),
        );
      const requests: Promise<{ status: number; text: string }>[] = [];
      for (let round = 0; round < 5; round++) {
        for (const [i, u] of users.entries()) {
          requests.push(
            send('patch', `/Users/${u}`, {
              schemas: [PATCH_OP],
              Operations: [{ op: 'replace', path: 'displayName', value: `User ${i} r${round}` }],
            }).then((r) => r),
          );
        }
        for (const [i, g] of groups.entries()) {
          const dropped = users[(round + i) % users.length];
          requests.push(
            send('patch', `/Groups/${g}`, {
              schemas: [PATCH_OP],
              Operations: [
                { op: 'replace', path: 'displayName', value: `Parallel ${i} r${round}` },
                { op: 'remove', path: `members[value eq "${dropped}"]` },
                { op: 'add', path: 'members', value: [{ value: dropped }] },
              ],
            }).then((r) => r),
          );
        }
      }
      const results = await Promise.all(requests);
      assert.deepEqual(
        results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`),
        [],
      );
    });
  },
);
