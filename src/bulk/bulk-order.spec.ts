import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processingOrder } from './bulk-order.js';
import { collectReferences, resolveReferences, withoutReferences } from './bulk-references.js';

const deps = (...lists: number[][]): Set<number>[] => lists.map((l) => new Set(l));

describe('processingOrder (RFC 7644 §3.7: reorder only for references)', () => {
  it('keeps the client order without forward references', () => {
    assert.deepEqual(processingOrder(deps([], [0], [])), [
      { ops: [0], circular: false },
      { ops: [1], circular: false },
      { ops: [2], circular: false },
    ]);
  });

  it('runs an operation after the later ones it refers to, and nothing else moves', () => {
    const order = processingOrder(deps([2], [], [], [0]));
    assert.deepEqual(
      order.map((s) => s.ops),
      [[1], [2], [0], [3]],
    );
  });

  it('makes one circular step of a circle and of a self-reference', () => {
    const order = processingOrder(deps([1], [0], [2], [1]));
    assert.deepEqual(order, [
      { ops: [0, 1], circular: true },
      { ops: [2], circular: true },
      { ops: [3], circular: false },
    ]);
  });

  it('walks a long chain without recursion', () => {
    const n = 20000;
    const chain = Array.from({ length: n }, (_, i) => new Set(i + 1 < n ? [i + 1] : []));
    const order = processingOrder(chain);
    assert.equal(order.length, n);
    assert.deepEqual(order[0].ops, [n - 1]);
  });
});

describe('bulkId references (RFC 7644 §3.7.2)', () => {
  const data = {
    members: [{ value: 'bulkId:a' }, { value: 'bulkId:b' }, { value: 'plain' }],
    ext: { manager: { value: 'bulkId:b' }, ref: 'bulkId:a' },
    note: 'bulkId:',
  };

  it('finds every reference and replaces the created ones', () => {
    assert.deepEqual([...collectReferences(data, new Set())].sort(), ['a', 'b']);
    assert.deepEqual(resolveReferences(data, new Map([['a', 'id-a']])), {
      members: [{ value: 'id-a' }, { value: 'bulkId:b' }, { value: 'plain' }],
      ext: { manager: { value: 'bulkId:b' }, ref: 'id-a' },
      note: 'bulkId:',
    });
  });

  it('leaves out entries and attributes naming pending resources', () => {
    assert.deepEqual(withoutReferences(data, new Set(['b'])), {
      members: [{ value: 'bulkId:a' }, { value: 'plain' }],
      ext: { ref: 'bulkId:a' },
      note: 'bulkId:',
    });
  });
});
