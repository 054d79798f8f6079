import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SQL_READER, type SqlReader } from '../../src/database/sql-reader.js';
import { seedGroup, seedUsers } from '../setup/bulk-seed.js';
import { SEARCH_REQUEST } from '../setup/query-seed.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

const USERS = 3000;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/*
 * A filter that scans (admitted by a raised budget, so that it runs long) must not hold up
 * the event loop: on SQLite it runs on a read worker, on PostgreSQL in the database server.
 * The order of answers is the evidence, not their durations: once the list's first statement
 * has been handed to the database (seen through the reader's observer), /health is asked and
 * must answer while the list is still running.
 */
describe('A scanning list read leaves the event loop free', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({
      env: { FILTER_MAX_COST: '1000000', QUERY_TIMEOUT_MS: '0', SQLITE_READ_WORKERS: '1', SQLITE_READ_QUEUE: '0' },
    });
    const ids = await seedUsers(
      t,
      range(USERS).map((i) => ({
        schemas: [USER_SCHEMA],
        userName: `pool.${i}@example.com`,
        title: `Title ${i}`,
        emails: [{ value: `pool.${i}@example.com`, type: 'work' }],
        addresses: [{ type: 'work', locality: `City ${i % 7}` }],
      })),
    );
    const inner = await seedGroup(
      t,
      'Inner',
      ids.slice(0, USERS / 2).map((id) => [id, 'User']),
    );
    await seedGroup(t, 'Outer', [
      [inner, 'Group'],
      ...ids.slice(USERS / 2).map((id): [string, 'User'] => [id, 'User']),
    ]);
  });
  after(async () => {
    await t.close();
  });

  // Long on either database (PostgreSQL casts the document text to jsonb per term, so fewer terms there).
  const heavy = (): string =>
    Array.from(
      { length: t.dialect === 'sqlite' ? 66 : 10 },
      (_, k) => `groups.type eq "indirect" or addresses[locality co "${k}x"] or title ew "q${k}"`,
    ).join(' or ');
  const list = () =>
    t
      .req('post', `${BASE}/Users/.search`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [SEARCH_REQUEST], filter: heavy(), attributes: ['userName'], count: 1 });

  it('/health answers while the list runs; the list then answers exactly', async () => {
    const reader = t.app.get<SqlReader>(SQL_READER);
    let handedOver!: () => void;
    const started = new Promise<void>((resolve) => (handedOver = resolve));
    reader.observe((sql) => {
      if (sql.includes('COUNT(*)')) handedOver();
    });
    const order: string[] = [];
    const running = list().then((res) => {
      order.push('list');
      return res;
    });
    try {
      await started;
      const health = await t.req('get', '/health');
      order.push('health');
      assert.equal(health.status, 200);
      if (t.dialect === 'sqlite') {
        // The only worker is busy and no read may wait: refused at once, with Retry-After.
        const refused = await list();
        order.push('refused');
        expectScimError(refused, 503, undefined);
        assert.equal(refused.headers['retry-after'], '1');
      }
      const res = await running;
      assert.equal(res.status, 200, res.text);
      // Users in Inner are indirectly in Outer.
      assert.equal(res.body.totalResults, USERS / 2);
    } finally {
      reader.observe(undefined);
    }
    assert.deepEqual(order, t.dialect === 'sqlite' ? ['health', 'refused', 'list'] : ['health', 'list']);
  });
});
