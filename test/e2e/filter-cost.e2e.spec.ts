import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedGroup, seedUsers } from '../setup/bulk-seed.js';
import type { Json } from '../setup/patch-helpers.js';
import { SEARCH_REQUEST } from '../setup/query-seed.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

/*
 * Filters that once scanned multi_values or rebuilt the nested-groups closure for every
 * user (RFC 7644 §3.4.2.2 value paths and `groups`): answered exactly on a seeded data set,
 * within the cost budget (FILTER_MAX_COST), and refused with 400 invalidFilter beyond it.
 */
const USERS = 1000;
const orOf = (n: number, term: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => term(i)).join(' or ');
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** User i: a home or work address at d(i % 50), and a work address elsewhere (same-element checks). */
function userDoc(i: number): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    userName: `bulk.${i}@example.com`,
    emails: [
      { value: `user${i}@d${i % 50}.example`, type: i % 3 === 0 ? 'work' : 'home' },
      { value: `alt${i}@other.example`, type: 'work' },
    ],
  };
}

describe('Filter cost and set-based element and group filters', () => {
  let t: TestApp;
  let ids: string[] = [];
  let top = '';
  const names = (idx: readonly number[]): string[] => idx.map((i) => `bulk.${i}@example.com`).sort();

  before(async () => {
    t = await startTestApp();
    ids = await seedUsers(t, range(USERS).map(userDoc));
    // top ⊃ middle ⊃ bottom. i%10: 0 → middle, 1 → top, 2 → bottom, 3 → top and middle.
    const direct = (k: number): [string, 'User'][] =>
      range(USERS)
        .filter((i) => i % 10 === k)
        .map((i) => [ids[i], 'User']);
    const bottom = await seedGroup(t, 'Bottom', direct(2));
    const middle = await seedGroup(t, 'Middle', [...direct(0), ...direct(3), [bottom, 'Group']]);
    top = await seedGroup(t, 'Top', [...direct(1), ...direct(3), [middle, 'Group']]);
  });
  after(async () => {
    await t.close();
  });

  async function search(filter: string): Promise<{ status: number; names: string[]; body: Json }> {
    const res = await t
      .req('post', `${BASE}/Users/.search`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [SEARCH_REQUEST], filter, attributes: ['userName'], count: USERS });
    const found = Array.isArray(res.body.Resources)
      ? res.body.Resources.map((r: { userName: string }) => r.userName).sort()
      : [];
    return { status: res.status, names: found, body: res.body };
  }

  async function expectUsers(filter: string, expected: readonly number[]): Promise<void> {
    const res = await search(filter);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body['totalResults'], expected.length);
    assert.deepEqual(res.names, names(expected));
  }

  it('25 ORed emails[value co … and type eq "work"] match only when one element satisfies both', async () => {
    const filter = orOf(25, (k) => `emails[value co "@d${k}." and type eq "work"]`);
    await expectUsers(
      filter,
      range(USERS).filter((i) => i % 50 < 25 && i % 3 === 0),
    );
  });

  it('not (…) of a value path is its exact complement', async () => {
    await expectUsers(
      'not (emails[value co "@d7." and type eq "work"])',
      range(USERS).filter((i) => !(i % 50 === 7 && i % 3 === 0)),
    );
  });

  it('groups.type eq "indirect" ORed up to the budget: users below a nested group only', async () => {
    await expectUsers(
      orOf(17, () => 'groups.type eq "indirect"'),
      range(USERS).filter((i) => i % 10 === 0 || i % 10 === 2),
    );
  });

  it('groups[value eq … and type eq …] distinguishes direct from indirect on the same group', async () => {
    await expectUsers(
      `groups[value eq "${top}" and type eq "direct"]`,
      range(USERS).filter((i) => i % 10 === 1 || i % 10 === 3),
    );
    await expectUsers(
      `groups[value eq "${top}" and type eq "indirect"]`,
      range(USERS).filter((i) => i % 10 === 0 || i % 10 === 2),
    );
    await expectUsers(
      'not (groups pr)',
      range(USERS).filter((i) => i % 10 > 3),
    );
  });

  it('the fault\'s 200 ORed groups.type eq "indirect" is 400 invalidFilter naming the budget', async () => {
    const res = await t
      .req('post', `${BASE}/Users/.search`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [SEARCH_REQUEST], filter: orOf(200, () => 'groups.type eq "indirect"') });
    expectScimError(res, 400, 'invalidFilter');
    assert.match(res.body.detail, /FILTER_MAX_COST/);
    assert.match(res.body.detail, /10150 exceeds the budget of 1000/);
    const get = await t.req('get', `${BASE}/Users`).query({ filter: orOf(51, (k) => `emails co "x${k}"`) });
    expectScimError(get, 400, 'invalidFilter');
  });

  it('sorting by groups shares the budget: alone it runs, with a filter of cost 510 it is 400', async () => {
    const sorted = await t
      .req('get', `${BASE}/Users`)
      .query({ sortBy: 'groups.display', count: 5, attributes: 'userName' });
    assert.equal(sorted.status, 200, sorted.text);
    assert.equal(sorted.body.Resources.length, 5);
    const res = await t.req('get', `${BASE}/Users`).query({
      sortBy: 'groups.display',
      filter: orOf(3, () => 'groups.type eq "indirect"') + ' or ' + orOf(11, (k) => `emails co "x${k}"`),
    });
    expectScimError(res, 400, 'invalidFilter');
    assert.match(res.body.detail, /the filter and the sort: 1020 exceeds the budget of 1000 \(FILTER_MAX_COST\)/);
    const unsorted = await t.req('get', `${BASE}/Users`).query({
      filter: orOf(3, () => 'groups.type eq "indirect"') + ' or ' + orOf(11, (k) => `emails co "x${k}"`),
      count: 1,
    });
    assert.equal(unsorted.status, 200, unsorted.text);
  });

  it('what IdPs send stays well within the budget', async () => {
    await expectUsers('userName eq "bulk.5@example.com"', [5]);
    await expectUsers(
      orOf(200, (i) => `userName eq "bulk.${i}@example.com"`),
      range(200),
    );
    const groups = await t
      .req('get', `${BASE}/Groups`)
      .query({ filter: `members[value eq "${ids[1]}"] or displayName eq "Bottom"`, excludedAttributes: 'members' });
    assert.equal(groups.status, 200, groups.text);
    assert.deepEqual(groups.body.Resources.map((g: { displayName: string }) => g.displayName).sort(), [
      'Bottom',
      'Top',
    ]);
  });
});

describe('QUERY_TIMEOUT_MS', () => {
  let t: TestApp;
  before(async () => {
    // A budget high enough to admit a genuinely slow filter, and a 1 ms read bound.
    t = await startTestApp({ env: { QUERY_TIMEOUT_MS: '1', FILTER_MAX_COST: '1000000' } });
    const ids = await seedUsers(t, range(USERS).map(userDoc));
    const inner = await seedGroup(
      t,
      'Inner',
      ids.slice(0, 500).map((id) => [id, 'User']),
    );
    await seedGroup(t, 'Outer', [[inner, 'Group'], ...ids.slice(500).map((id): [string, 'User'] => [id, 'User'])]);
  });
  after(async () => {
    await t.close();
  });

  it('a list read beyond it is 503 with Retry-After (PostgreSQL cancels it; SQLite retires its read worker)', async () => {
    const filter = orOf(100, (k) => `groups.type eq "indirect" or emails co "x${k}"`);
    const res = await t
      .req('post', `${BASE}/Users/.search`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [SEARCH_REQUEST], filter });
    expectScimError(res, 503, undefined);
    assert.equal(res.headers['retry-after'], '1');
    assert.match(res.body.detail, /QUERY_TIMEOUT_MS/);
    // Point reads are unaffected by a failed list.
    const health = await t.req('get', '/health');
    assert.equal(health.status, 200);
  });
});
