import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { planRekey } from './rekey.plan.js';

describe('planRekey', () => {
  it('moves rows whose new keys are free', () => {
    const plan = planRekey([
      { id: 'a', oldKey: 'alice ', newKey: 'alice' },
      { id: 'b', oldKey: 'bob', newKey: 'bob' },
    ]);
    assert.deepEqual(plan, { updates: [{ id: 'a', key: 'alice' }], kept: [] });
  });

  it('gives a colliding new key to the oldest row; the others keep their old key and are reported', () => {
    const plan = planRekey([
      { id: 'old', oldKey: 'alice ', newKey: 'alice' },
      { id: 'new', oldKey: 'ali\u200bce', newKey: 'alice' },
    ]);
    assert.deepEqual(plan.updates, [{ id: 'old', key: 'alice' }]);
    assert.deepEqual(plan.kept, [{ id: 'new', oldKey: 'ali\u200bce', newKey: 'alice', holderId: 'old' }]);
  });

  it('leaves a row that already holds the new key where it is, even when younger', () => {
    const plan = planRekey([
      { id: 'older', oldKey: 'alice ', newKey: 'alice' },
      { id: 'younger', oldKey: 'alice', newKey: 'alice' },
    ]);
    assert.deepEqual(plan.updates, []);
    assert.deepEqual(plan.kept, [{ id: 'older', oldKey: 'alice ', newKey: 'alice', holderId: 'younger' }]);
  });

  it('orders the updates so that each target key is free when it is written', () => {
    // b can only move once a has left 'x'.
    const plan = planRekey([
      { id: 'b', oldKey: 'x ', newKey: 'x' },
      { id: 'a', oldKey: 'x', newKey: 'y' },
    ]);
    assert.deepEqual(plan.updates, [
      { id: 'a', key: 'y' },
      { id: 'b', key: 'x' },
    ]);
    assert.deepEqual(plan.kept, []);
  });
});
