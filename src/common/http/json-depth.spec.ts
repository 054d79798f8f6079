import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { exceedsJsonDepth } from './json-depth.js';

describe('exceedsJsonDepth', () => {
  const cases: [string, string, number, boolean][] = [
    ['a scalar has depth 0', '"x"', 0, false],
    ['an empty object has depth 1', '{}', 0, true],
    ['an empty object within 1', '{}', 1, false],
    ['arrays and objects both count', '{"a":[{"b":[1]}]}', 4, false],
    ['one level past the limit', '{"a":[{"b":[1]}]}', 3, true],
    ['siblings do not add up', '[[1],[2],[3],{"a":{}}]', 3, false],
    ['brackets inside strings do not count', '{"a":"[[[[{{{{"}', 1, false],
    ['an escaped quote does not end the string', '{"a":"\\"[[[["}', 1, false],
    ['an escaped backslash before the closing quote does', '{"a":"\\\\","b":[[1]]}', 2, true],
    ['unicode escapes are skipped as string content', '{"a":"\\u005b\\u007b"}', 1, false],
    ['malformed text is left to JSON.parse', ']]]}}}', 0, false],
  ];
  for (const [label, text, max, expected] of cases) {
    it(`${label}: ${text} (max ${max}) → ${expected}`, () => {
      assert.equal(exceedsJsonDepth(text, max), expected);
    });
  }

  it('agrees with the depth of values JSON.parse builds', () => {
    for (let depth = 0; depth <= 70; depth++) {
      const text = JSON.stringify(
        Array.from({ length: depth }).reduce<unknown>((inner, _, i) => (i % 2 ? [inner] : { k: inner }), 'v'),
      );
      assert.equal(exceedsJsonDepth(text, 64), depth > 64, `depth ${depth}`);
    }
  });

  it('scans 10,000 levels and a multi-megabyte body without recursion', () => {
    assert.equal(exceedsJsonDepth(`${'['.repeat(10000)}${']'.repeat(10000)}`, 64), true);
    const wide = `[${Array.from({ length: 200000 }, () => '{"a":[1,"]]"]}').join(',')}]`;
    assert.equal(exceedsJsonDepth(wide, 3), false);
    assert.equal(exceedsJsonDepth(wide, 2), true);
  });
});
