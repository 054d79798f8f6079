import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logSafe, logSafeList } from './log-format.js';

describe('log-safe formatting of client text', () => {
  it('escapes control characters so a name cannot start a new log line', () => {
    assert.equal(logSafe('nick\nERROR forged line'), 'nick\\u000aERROR forged line');
    assert.equal(logSafe('a\r\u0000\u001b[31m\u007f\u0085\u2028b'), 'a\\u000d\\u0000\\u001b[31m\\u007f\\u0085\\u2028b');
    assert.equal(logSafe('back\\u000aslash'), 'back\\\\u000aslash', 'a literal escape stays distinguishable');
    assert.doesNotMatch(logSafe('x\n\r\u2029y'), /[\n\r\u2028\u2029]/);
  });

  it('keeps at most 64 code points of a name, without splitting a surrogate pair', () => {
    assert.equal(logSafe('a'.repeat(64)), 'a'.repeat(64));
    assert.equal(logSafe('a'.repeat(65)), `${'a'.repeat(64)}…`);
    assert.equal(logSafe('😀'.repeat(70)), `${'😀'.repeat(64)}…`);
  });

  it('lists the first 20 names and counts the rest', () => {
    const names = Array.from({ length: 60_000 }, (_, i) => `k${i}`);
    const line = logSafeList(names);
    assert.equal(line, `${names.slice(0, 20).join(', ')} and 59980 more`);
    assert.equal(logSafeList(['a', 'b']), 'a, b');
    assert.ok(logSafeList(Array.from({ length: 60_000 }, () => 'x'.repeat(200))).length < 2000);
  });
});
