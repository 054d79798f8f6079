import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { captureWrites } from '../setup/capture-writes.js';
import { patchHelpers, type Op } from '../setup/patch-helpers.js';
import { BASE, GROUP_SCHEMA, SCIM_JSON, startTestApp, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

/* A one-member PATCH on a 2,000-member group: the statements it sends never read or touch the member list. */

describe('One-member PATCH on a 2,000-member group reads no member list', () => {
  const SIZE = 2000;
  let t: TestApp;
  let groupId = '';
  let memberIds: string[] = [];
  before(async () => {
    t = await startTestApp();
    // Users need only a row to be members; direct inserts keep the seeding fast.
    const now = new Date().toISOString();
    memberIds = Array.from({ length: SIZE }, () => randomUUID());
    for (let i = 0; i < SIZE; i += 500) {
      const values = memberIds.slice(i, i + 500).map((id, j) => {
        const userName = `bulk.${i + j}@example.com`;
        return `('${id}', '${userName}', '${userName}', '${now}', '${now}', 1, '${JSON.stringify({ schemas: [USER_SCHEMA], userName })}')`;
      });
      await t.db.query(
        `INSERT INTO users (id, user_name, user_name_key, created, last_modified, version, doc) VALUES ${values.join(', ')}`,
      );
    }
    const res = await t
      .req('post', `${BASE}/Groups`)
      .set('Content-Type', SCIM_JSON)
      .query({ excludedAttributes: 'members' })
      .send({ schemas: [GROUP_SCHEMA], displayName: 'Huge', members: memberIds.map((value) => ({ value })) });
    assert.equal(res.status, 201, res.text);
    groupId = res.body.id;
    const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${groupId}'`);
    assert.equal(Number(n), SIZE);
  });
  after(async () => {
    await t.close();
  });
  const h = patchHelpers(() => t);
  const memberCount = async (): Promise<number> =>
    Number((await t.db.query(`SELECT COUNT(*) AS n FROM group_members WHERE group_id = '${groupId}'`))[0].n);

  /** PostgreSQL only: rows read from group_members (sequential scans plus index entries), per the statistics views. */
  const pool = (): pg.Pool => (t.db.driver as unknown as { master: pg.Pool }).master;
  async function memberTuplesRead(): Promise<number> {
    // Each backend flushes its pending statistics before it answers the next statement when asked
    // to (pg_stat_force_next_flush, PostgreSQL 15+); `max` concurrent statements reach every
    // pooled connection the server holds, so the counters below include all of its work so far.
    const max = (pool() as unknown as { options: { max: number } }).options.max;
    await Promise.all(Array.from({ length: max }, () => pool().query('SELECT pg_stat_force_next_flush()')));
    const { rows } = await pool().query(`SELECT
        (SELECT seq_tup_read FROM pg_stat_user_tables WHERE relid = 'group_members'::regclass)
      + (SELECT COALESCE(SUM(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relid = 'group_members'::regclass) AS n`);
    return Number(rows[0].n);
  }

  for (const [name, ops] of [
    ['add one member', (added: string) => [{ op: 'add', path: 'members', value: [{ value: added }] }]],
    [
      'remove one member by members[value eq]',
      (_added: string, removed: string) => [{ op: 'remove', path: `members[value eq "${removed}"]` }],
    ],
    [
      'Entra remove with a value list',
      (_added: string, removed: string) => [{ op: 'Remove', path: 'members', value: [{ value: removed }] }],
    ],
  ] as const) {
    it(`${name}: every statement of the write and the response path touches at most one row`, async (ctx) => {
      const added =
        name === 'add one member' ? ((await h.createUser(`huge.${randomUUID()}@example.com`)).id as string) : '';
      const removed = memberIds.pop()!;
      const before = await h.groupRow(groupId);
      const sizeBefore = await memberCount();
      const pgBefore = t.dialect === 'postgres' ? await memberTuplesRead() : 0;

      const reads = await t.captureReads(() =>
        captureWrites(t.db, () =>
          h.patch('Groups', groupId, ops(added, removed) as Op[], { excludedAttributes: 'members' }),
        ),
      );
      const { result: res, statements: writes } = reads.result;

      for (const s of writes)
        ctx.diagnostic(`write path (${s.rows ?? '-'} rows, ${s.params} params): ${s.sql.slice(0, 120)}`);
      for (const s of reads.statements) ctx.diagnostic(`read path: ${s.replace(/\s+/g, ' ').slice(0, 140)}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.members, undefined);
      assert.equal(res.headers['etag'], `W/"${before.version + 1}"`);
      // Response path: the prepared-statement reader never touched group_members.
      assert.deepEqual(
        reads.statements.filter((s) => /group_members/i.test(s)),
        [],
      );
      // Write path: every statement returned or changed at most one row (a member list would be 2,000).
      assert.ok(
        writes.some((s) => /group_members/i.test(s.sql)),
        writes.map((s) => s.sql).join('\n'),
      );
      const big = writes.filter((s) => s.rows !== null && s.rows > 1);
      assert.deepEqual(big, [], 'no statement returned or touched more than one row');
      // … and none carried a list of ids (the group row's UPDATE has the most: 7; the audit row's
      // INSERT has a fixed 21, its member ids one JSON value).
      const long = writes.filter((s) => s.params > 7 && !/^INSERT INTO audit_log /.test(s.sql));
      assert.deepEqual(long, [], 'no statement was sent more than 7 parameters');
      // And none of them selects group_members by group alone (the shape of a member-list read).
      const listReads = writes.filter(
        (s) => /\bFROM group_members\b/i.test(s.sql) && !/member_id\s*(=|IN\b)/i.test(s.sql),
      );
      assert.deepEqual(listReads, []);

      if (t.dialect === 'postgres') {
        const read = (await memberTuplesRead()) - pgBefore;
        ctx.diagnostic(`pg_stat: group_members rows read by the PATCH: ${read}`);
        assert.ok(read < 10, `group_members rows read by the PATCH: ${read} (the group has ${SIZE})`);
      }
      if (name === 'add one member') {
        assert.equal(await memberCount(), sizeBefore + 1);
        assert.equal(await h.userVersion(added), 2);
        memberIds.push(removed, added);
      } else {
        assert.equal(await memberCount(), sizeBefore - 1);
        assert.equal(await h.userVersion(removed), 3, 'seeded at 1, bumped on joining, bumped on leaving');
      }
    });
  }

  it('control: the write-path capture sees a member-list read (full replace of members, which diffs against the stored set)', async () => {
    const before = await h.groupRow(groupId);
    const { result: res, statements } = await captureWrites(t.db, () =>
      h.patch('Groups', groupId, [{ op: 'replace', path: 'members', value: memberIds.map((value) => ({ value })) }], {
        excludedAttributes: 'members',
      }),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['etag'], `W/"${before.version}"`, 'the same set: no change');
    const listReads = statements.filter(
      (s) => /\bFROM group_members\b/i.test(s.sql) && !/member_id\s*(=|IN\b)/i.test(s.sql),
    );
    assert.deepEqual(
      listReads.map((s) => s.rows),
      [memberIds.length],
    );
  });

  it('control: the measurement sees a full member read (GET with members)', async (ctx) => {
    const pgBefore = t.dialect === 'postgres' ? await memberTuplesRead() : 0;
    const reads = await t.captureReads(() => t.req('get', `${BASE}/Groups/${groupId}`));
    assert.equal(reads.result.status, 200);
    assert.equal(reads.result.body.members.length, memberIds.length);
    assert.equal(reads.statements.filter((s) => /group_members/i.test(s)).length, 1);
    if (t.dialect === 'postgres') {
      const read = (await memberTuplesRead()) - pgBefore;
      ctx.diagnostic(`pg_stat: group_members rows read by a full GET: ${read}`);
      assert.ok(read >= memberIds.length, `group_members rows read by a full GET: ${read}`);
    }
  });
});
