import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { patchHelpers, sorted, type Json } from '../setup/patch-helpers.js';
import { BASE, GROUP_SCHEMA, startTestApp, userBody, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

/*
 * Large writes go out in batches, so no statement nears SQLite's bound-parameter limit
 * (32,766): Okta's full member replace of a 5,000-member group (members are exempt from
 * MAX_VALUES_PER_ATTRIBUTE) and a user with more multi-valued rows than one statement holds.
 */

/** The most bound parameters any statement sent through TypeORM carried while `fn` ran. */
async function maxParams<T>(
  db: DataSource,
  fn: () => Promise<T>,
): Promise<{ result: T; max: number; statements: number }> {
  let max = 0;
  let statements = 0;
  const subscriber: EntitySubscriberInterface = {
    afterQuery(event: AfterQueryEvent) {
      const list: unknown[] = Array.isArray(event.parameters) ? event.parameters : [];
      const [first] = list;
      const n =
        list.length === 1 && first !== null && typeof first === 'object' ? Object.keys(first).length : list.length;
      max = Math.max(max, n);
      statements++;
    },
  };
  db.subscribers.push(subscriber);
  try {
    return { result: await fn(), max, statements };
  } finally {
    db.subscribers.splice(db.subscribers.indexOf(subscriber), 1);
  }
}

/** Users with only a row (enough to be members), inserted in batches of direct SQL. */
async function seedUsers(t: TestApp, count: number, prefix: string): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: count }, () => randomUUID());
  for (let i = 0; i < count; i += 500) {
    const values = ids.slice(i, i + 500).map((id, j) => {
      const userName = `${prefix}.${i + j}@example.com`;
      return `('${id}', '${userName}', '${userName}', '${now}', '${now}', 1, '${JSON.stringify({ schemas: [USER_SCHEMA], userName })}')`;
    });
    await t.db.query(
      `INSERT INTO users (id, user_name, user_name_key, created, last_modified, version, doc) VALUES ${values.join(', ')}`,
    );
  }
  return ids;
}

describe('Okta full member replace with 5,000 members', () => {
  const SIZE = 5000;
  let t: TestApp;
  let ids: string[] = [];
  const h = patchHelpers(() => t);
  const refs = (list: readonly string[]): Json[] => list.map((value) => ({ value }));
  before(async () => {
    t = await startTestApp();
    ids = await seedUsers(t, SIZE + 2500, 'okta');
  });
  after(async () => {
    await t.close();
  });

  it('POST with 5,500 members is stored whole: members are not bound by MAX_VALUES_PER_ATTRIBUTE', async () => {
    const chosen = ids.slice(0, 5500);
    const { result: res, max } = await maxParams(t.db, () =>
      h
        .send('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'okta.post', members: refs(chosen) })
        .query({ excludedAttributes: 'members' }),
    );
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(await h.memberRows(res.body.id), sorted(chosen));
    assert.ok(max <= 1001, `a statement carried ${max} parameters`);
  });

  it('PATCH replace of all members (Okta) with 5,000, then with another 5,000, keeps exactly the set sent', async () => {
    const group = await h.createGroup('okta.replace');
    const first = ids.slice(0, SIZE);
    const ops = (list: readonly string[]) => [{ op: 'replace', path: 'members', value: refs(list) }];
    const one = await maxParams(t.db, () => h.patch('Groups', group.id, ops(first), { excludedAttributes: 'members' }));
    assert.equal(one.result.status, 200, one.result.text);
    assert.deepEqual(await h.memberRows(group.id), sorted(first));
    assert.ok(one.max <= 1001, `a statement carried ${one.max} parameters`);

    const second = ids.slice(2500, 2500 + SIZE);
    const watched = [ids[0], ids[SIZE + 100], ids[3000]];
    const versions = await Promise.all(watched.map((id) => h.userVersion(id)));
    const two = await maxParams(t.db, () =>
      h.patch('Groups', group.id, ops(second), { excludedAttributes: 'members' }),
    );
    assert.equal(two.result.status, 200, two.result.text);
    assert.deepEqual(await h.memberRows(group.id), sorted(second));
    assert.ok(two.max <= 1001, `a statement carried ${two.max} parameters`);
    // Left, joined and stayed: only the first two moved version.
    assert.deepEqual(await Promise.all(watched.map((id) => h.userVersion(id))), [
      versions[0] + 1,
      versions[1] + 1,
      versions[2],
    ]);
  });

  it('PUT with 5,000 members replaces the set', async () => {
    const group = await h.createGroup('okta.put', ids.slice(0, 10));
    const wanted = ids.slice(100, 100 + SIZE);
    const res = await h
      .send('put', `/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: 'okta.put', members: refs(wanted) })
      .query({ excludedAttributes: 'members' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(await h.memberRows(group.id), sorted(wanted));
  });
});

describe('multi_values rows are inserted in batches', () => {
  let t: TestApp;
  const h = patchHelpers(() => t);
  before(async () => {
    t = await startTestApp({ env: { MAX_VALUES_PER_ATTRIBUTE: '6000' } });
  });
  after(async () => {
    await t.close();
  });

  it('6,000 emails (36,000 values, more than one SQLite statement may bind) are stored and indexed', async () => {
    const emails = Array.from({ length: 6000 }, (_, i) => ({ value: `m${i}@example.com`, type: 'work' }));
    const { result: res, max } = await maxParams(t.db, () => h.send('post', '/Users', userBody('batched', { emails })));
    assert.equal(res.status, 201, res.text);
    assert.ok(max <= 3001, `a statement carried ${max} parameters`);
    const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM multi_values WHERE resource_id = '${res.body.id}'`);
    assert.equal(Number(n), 6000);
    const found = await t.req('get', `${BASE}/Users`).query({ filter: 'emails.value eq "m5999@example.com"' });
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(
      found.body.Resources.map((r: Json) => r.id),
      [res.body.id],
    );
  });
});
