import type { ThrottlerStorage } from '@nestjs/throttler';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { bulkCost, requestCost } from './bulk-cost.js';
import { decide, intervalUs } from './gcra.js';
import { MemoryBudgetStore } from './memory-budget.store.js';
import { clientAddress } from './rate-limit.hook.js';

const NOW = 1_764_500_000_000_000;

describe('request cost', () => {
  it('a POST to /Bulk costs one per operation, at least 1; everything else costs 1', () => {
    const ops = (n: number) => ({
      Operations: Array.from({ length: n }, () => ({ method: 'DELETE', path: '/Users/x' })),
    });
    assert.equal(requestCost('POST', '/scim/v2/Bulk', ops(7)), 7);
    assert.equal(requestCost('POST', '/scim/v2/bulk/', ops(2)), 2);
    assert.equal(requestCost('POST', '/scim/v2/Bulk', ops(0)), 1);
    assert.equal(requestCost('POST', '/scim/v2/Users', ops(7)), 1);
    assert.equal(requestCost('GET', '/scim/v2/Bulk', ops(7)), 1);
    assert.equal(bulkCost(undefined), 1);
    assert.equal(bulkCost({ Operations: 'x' }), 1);
    assert.equal(bulkCost({ operations: [1, 2, 3] }), 3);
    assert.equal(bulkCost([1, 2, 3]), 1);
  });
});

describe('GCRA decisions', () => {
  const bucket = { key: 'k', limitPerMinute: 3 };

  it('a full budget passes in a burst; the next request waits for one interval to refill', () => {
    let tat: number | undefined;
    for (let i = 0; i < 3; i++) {
      const result = decide([bucket], [tat], 1, NOW);
      assert.ok('next' in result);
      tat = result.next[0];
    }
    assert.deepEqual(decide([bucket], [tat], 1, NOW), { retryAfterSeconds: 20 });
    assert.ok('next' in decide([bucket], [tat], 1, NOW + intervalUs(3)));
  });

  it('charges every bucket or none; the longest wait wins', () => {
    const wide = { key: 'w', limitPerMinute: 600 };
    const result = decide([wide, bucket], [undefined, NOW + 2 * intervalUs(3) + 1], 1, NOW);
    assert.ok('retryAfterSeconds' in result && result.retryAfterSeconds >= 1);
  });

  it('a cost above the whole budget passes only on a full bucket, and leaves it in debt', () => {
    const first = decide([bucket], [undefined], 5, NOW);
    assert.ok('next' in first);
    assert.ok('retryAfterSeconds' in decide([bucket], [first.next[0]], 1, NOW));
  });
});

describe('MemoryBudgetStore', () => {
  it('keeps at most maxKeys counters, dropping the least recently charged', () => {
    const store = new MemoryBudgetStore(100);
    for (let i = 0; i < 250; i++) store.takeNow([{ key: `a:${i}`, limitPerMinute: 1 }], 1);
    assert.equal(store.size, 100);
    // The newest keys are kept (still spent), the oldest were forgotten.
    assert.equal(store.takeNow([{ key: 'a:249', limitPerMinute: 1 }], 1).allowed, false);
    assert.equal(store.takeNow([{ key: 'a:0', limitPerMinute: 1 }], 1).allowed, true);
  });

  it('serves as a ThrottlerStorage: blocked once the limit per ttl is spent', async () => {
    const store: ThrottlerStorage = new MemoryBudgetStore(100);
    const first = await store.increment('t', 60_000, 2, 0, 'default');
    await store.increment('t', 60_000, 2, 0, 'default');
    const third = await store.increment('t', 60_000, 2, 0, 'default');
    assert.equal(first.isBlocked, false);
    assert.equal(third.isBlocked, true);
    assert.ok(third.timeToBlockExpire >= 1);
  });
});

describe('clientAddress', () => {
  const req = (forwarded?: string) =>
    ({
      ip: '198.51.100.1',
      raw: { socket: { remoteAddress: '10.0.0.5' } },
      headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    }) as unknown as FastifyRequest;

  it('is the socket address unless TRUST_PROXY; then the entry the nearest proxy wrote', () => {
    assert.equal(clientAddress(req('203.0.113.9'), false), '10.0.0.5');
    assert.equal(clientAddress(req('203.0.113.9, 192.0.2.7'), true), '192.0.2.7');
    assert.equal(clientAddress(req(), true), '10.0.0.5');
  });
});
