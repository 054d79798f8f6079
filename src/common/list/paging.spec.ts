import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { resolvePage, type Page } from './paging.js';

const defaults = { defaultPageSize: 100, maxPageSize: 1000 };

describe('resolvePage (RFC 7644 §3.4.2.4)', () => {
  const cases: [string, number | undefined, number | undefined, Page][] = [
    ['both absent: startIndex 1 and the default page size', undefined, undefined, { startIndex: 1, count: 100 }],
    ['startIndex kept as given', 5, 10, { startIndex: 5, count: 10 }],
    ['startIndex 1 kept', 1, 10, { startIndex: 1, count: 10 }],
    ['startIndex 0 is interpreted as 1', 0, 10, { startIndex: 1, count: 10 }],
    ['negative startIndex is interpreted as 1', -7, 10, { startIndex: 1, count: 10 }],
    ['startIndex past the end is kept (empty page, not an error)', 1_000_000, 10, { startIndex: 1_000_000, count: 10 }],
    ['count 0 returns no resources', 1, 0, { startIndex: 1, count: 0 }],
    ['negative count is interpreted as 0', 1, -1, { startIndex: 1, count: 0 }],
    ['count above the maximum is capped', 1, 5000, { startIndex: 1, count: 1000 }],
    ['count equal to the maximum kept', 1, 1000, { startIndex: 1, count: 1000 }],
    ['count below the default kept', 3, 7, { startIndex: 3, count: 7 }],
    ['count absent with startIndex given', 3, undefined, { startIndex: 3, count: 100 }],
  ];
  for (const [label, startIndex, count, expected] of cases) {
    it(`${label} (${String(startIndex)}, ${String(count)})`, () => {
      assert.deepEqual(resolvePage(startIndex, count, defaults), expected);
    });
  }

  it('uses the given defaults', () => {
    assert.deepEqual(resolvePage(undefined, undefined, { defaultPageSize: 7, maxPageSize: 9 }), {
      startIndex: 1,
      count: 7,
    });
    assert.deepEqual(resolvePage(undefined, 50, { defaultPageSize: 7, maxPageSize: 9 }), { startIndex: 1, count: 9 });
  });
});
