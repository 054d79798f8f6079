import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { BASE, GROUP_SCHEMA, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/**
 * The IdP lookups are index probes on both databases (checked on the query plan, not
 * on timing). On PostgreSQL sequential scans are disabled for the check, since the
 * planner rightly prefers them on tiny tables; what matters is that an index serves.
 * Every index leads with directory_id, so an index probe on the directory alone would
 * also serve a tiny table: on PostgreSQL the directory gets filler rows and statistics
 * (ANALYZE), as a real one has, so the plan shows the filter's own index; SQLite has the
 * statistics its migration writes (1764200000000-directory-columns.ts).
 */
describe('Query plans of the IdP lookups', () => {
  let t: TestApp;
  let groupId: string;
  let userId: string;
  before(async () => {
    t = await startTestApp();
    const user = await t.req('post', `${BASE}/Users`).send(
      userBody('plan@example.com', {
        externalId: 'plan-ext',
        displayName: 'Plan',
        emails: [{ value: 'plan@example.com', type: 'work' }],
      }),
    );
    userId = user.body.id;
    const group = await t
      .req('post', `${BASE}/Groups`)
      .send({ schemas: [GROUP_SCHEMA], displayName: 'Planners', members: [{ value: userId }] });
    groupId = group.body.id;
    if (t.dialect === 'postgres') await fillDirectory();
  });

  /** 500 users, each in a group of its own with an email, then statistics of the tables. */
  async function fillDirectory(): Promise<void> {
    const at = "'2025-01-01T00:00:00.000Z'";
    await t.db.query(`INSERT INTO users (id, user_name, user_name_key, created, last_modified, version, doc)
      SELECT 'fu-' || n, 'filler' || n, 'filler' || n, ${at}, ${at}, 1, '{}' FROM generate_series(1, 500) n`);
    await t.db.query(`INSERT INTO groups (id, display_name, display_name_key, created, last_modified, version, doc)
      SELECT 'fg-' || n, 'filler' || n, 'filler' || n, ${at}, ${at}, 1, '{}' FROM generate_series(1, 500) n`);
    await t.db.query(`INSERT INTO group_members (group_id, member_id, member_type)
      SELECT 'fg-' || n, 'fu-' || n, 'User' FROM generate_series(1, 500) n`);
    await t.db.query(`INSERT INTO multi_values (resource_id, attr, idx, value_key, type_key, is_primary)
      SELECT 'fu-' || n, 'emails', 0, 'filler' || n || '@example.com', 'work', false FROM generate_series(1, 500) n`);
    await t.db.query('ANALYZE users, groups, group_members, multi_values');
  }
  after(async () => {
    await t.close();
  });

  async function plansOf(path: string, query: Record<string, string>, indexesOnly = true): Promise<string[]> {
    const { calls } = await t.captureReads(async () => {
      const res = await t.req('get', path).query(query);
      assert.equal(res.status, 200, res.text);
    });
    // The list statements (count and page); the groups-of-user read is another concern.
    const lists = calls.filter((c) => / FROM (users u|groups g) WHERE /.test(c.sql));
    const plans: string[] = [];
    for (const { sql, params } of lists) plans.push(await explain(sql, params, indexesOnly));
    return plans;
  }

  async function explain(sql: string, params: readonly SqlParam[], indexesOnly: boolean): Promise<string> {
    if (t.dialect === 'sqlite') {
      const [text, bound] = toDriverQuery('sqlite', `EXPLAIN QUERY PLAN ${sql}`, params);
      const rows: { detail: string }[] = await t.db.query(text, bound);
      return rows.map((r) => r.detail).join('\n');
    }
    const runner = t.db.createQueryRunner();
    try {
      if (indexesOnly) await runner.query('SET enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, [...params]);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  }

  const cases: [string, string, () => Record<string, string>, RegExp][] = [
    ['userName eq', '/Users', () => ({ filter: 'userName eq "PLAN@example.com"' }), /uq_users_user_name_key/],
    ['externalId eq', '/Users', () => ({ filter: 'externalId eq "plan-ext"' }), /ix_users_external_id/],
    ['id eq', '/Users', () => ({ filter: `id eq "${userId}"` }), /users_pkey|sqlite_autoindex_users_1|PRIMARY KEY/],
    ['displayName eq', '/Users', () => ({ filter: 'displayName eq "plan"' }), /ix_users_display_name_key/],
    [
      'emails.value eq',
      '/Users',
      () => ({ filter: 'emails.value eq "PLAN@example.com"' }),
      /ix_multi_values_attr_value|multi_values_pkey|sqlite_autoindex_multi_values_1/,
    ],
    [
      'emails[type eq "work"].value eq',
      '/Users',
      () => ({ filter: 'emails[type eq "work"].value eq "plan@example.com"' }),
      /ix_multi_values_attr_value|multi_values_pkey|sqlite_autoindex_multi_values_1/,
    ],
    [
      'Group displayName eq',
      '/Groups',
      () => ({ filter: 'displayName eq "planners"', excludedAttributes: 'members' }),
      /ix_groups_display_name_key/,
    ],
    [
      'Group members.value eq',
      '/Groups',
      () => ({ filter: `members.value eq "${userId}"`, excludedAttributes: 'members' }),
      /group_members_pkey|sqlite_autoindex_group_members_1|ix_group_members_member_id/,
    ],
  ];
  for (const [name, path, query, index] of cases) {
    it(`${name} uses an index`, async () => {
      const plans = await plansOf(`${BASE}${path}`, query());
      assert.equal(plans.length, 2, 'the count and the page');
      for (const plan of plans) {
        assert.match(plan, index, plan);
        if (t.dialect === 'sqlite') assert.doesNotMatch(plan, /SCAN (u|g)\b(?! USING)/, plan);
      }
    });
  }

  /**
   * Element and nested-group filters are set-based: uncorrelated subqueries that the database
   * evaluates once per query (SQLite: no CORRELATED subquery; PostgreSQL: a join or a hashed
   * subplan), not a scan of multi_values or a recursive closure for every user.
   */
  const orOf = (n: number, term: (i: number) => string): string =>
    Array.from({ length: n }, (_, i) => term(i)).join(' or ');
  const setBased: [string, string, () => Record<string, string>][] = [
    [
      '25 ORed emails[value co and type eq]',
      '/Users',
      () => ({ filter: orOf(25, (i) => `emails[value co "x${i}" and type eq "work"]`) }),
    ],
    ['ORed groups.type eq "indirect"', '/Users', () => ({ filter: orOf(5, () => 'groups.type eq "indirect"') })],
    ['groups.value eq', '/Users', () => ({ filter: `groups.value eq "${groupId}" or emails co "plan"` })],
    ['not (emails[type eq "work"])', '/Users', () => ({ filter: 'not (emails[type eq "work"]) or userName co "p"' })],
    [
      'Group members[value eq] or members.type',
      '/Groups',
      () => ({
        filter: `members[value eq "${userId}"] or members.type eq "Group" or displayName co "x"`,
        excludedAttributes: 'members',
      }),
    ],
  ];
  for (const [name, path, query] of setBased) {
    it(`${name} runs no per-row correlated subquery`, async () => {
      const plans = await plansOf(`${BASE}${path}`, query(), false);
      assert.ok(plans.length >= 1, 'the count (and the page when something matches)');
      for (const plan of plans) {
        if (t.dialect === 'sqlite') assert.doesNotMatch(plan, /CORRELATED/, plan);
        else
          for (const line of plan.split('\n').filter((l) => /(Filter|Cond):/.test(l)))
            assert.doesNotMatch(line, /(?<!hashed )SubPlan \d+/, plan);
      }
    });
  }

  it('the admin list of soft-deleted users probes their partial index, never the live rows', async () => {
    const { calls } = await t.captureReads(async () => {
      const res = await t.req('get', '/admin/directories/1/deleted').query({ resourceType: 'User' });
      assert.equal(res.status, 200, res.text);
    });
    const lists = calls.filter((c) => /deleted_at IS NOT NULL/.test(c.sql));
    assert.equal(lists.length, 1, calls.map((c) => c.sql).join('\n'));
    const plan = await explain(lists[0].sql, lists[0].params, true);
    assert.match(plan, /ix_users_deleted/, plan);
  });

  it('GET /Groups/{id}?excludedAttributes=members reads no member row', async () => {
    const { statements } = await t.captureReads(async () => {
      const res = await t.req('get', `${BASE}/Groups/${groupId}`).query({ excludedAttributes: 'members' });
      assert.equal(res.body.members, undefined);
    });
    assert.ok(statements.length >= 1);
    assert.ok(
      statements.every((s) => !/group_members/.test(s)),
      statements.join('\n'),
    );
  });
});
