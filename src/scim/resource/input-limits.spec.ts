import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { foldKey } from './fold-key.js';
import { ScimException } from '../errors/scim.exception.js';
import {
  checkKeyBytes,
  checkOperationCount,
  checkStringValue,
  checkValueCount,
  DEFAULT_INPUT_LIMITS,
} from './input-limits.js';

function assertInvalid(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimException);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, 'invalidValue');
    for (const part of parts) assert.ok(error.detail.includes(part), error.detail);
    return true;
  });
}

const limits = DEFAULT_INPUT_LIMITS;

describe('input limits', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(
      { ...limits },
      { valuesPerAttribute: 1000, patchOperations: 1000, stringBytes: 65536, keyBytes: 1024 },
    );
  });

  it('counts string bytes in UTF-8, not UTF-16 units', () => {
    checkStringValue('title', 'x'.repeat(65536), limits);
    assertInvalid(
      () => checkStringValue('title', 'x'.repeat(65537), limits),
      "'title'",
      '65537 bytes',
      'MAX_STRING_BYTES',
    );
    checkStringValue('title', '€'.repeat(21845), limits); // 65,535 bytes
    assertInvalid(() => checkStringValue('title', '€'.repeat(21846), limits), '65538 bytes');
    assertInvalid(() => checkStringValue('title', '😀'.repeat(16385), limits), '65540 bytes');
  });

  it('refuses U+0000 anywhere in a string, naming the attribute', () => {
    for (const value of ['\u0000', 'a\u0000', '\u0000b', 'a\u0000b']) {
      assertInvalid(() => checkStringValue('name.givenName', value, limits), "'name.givenName'", 'NUL');
    }
    checkStringValue('title', '\u0001\t\n', limits);
  });

  it('refuses lone surrogates and keeps paired ones', () => {
    for (const value of ['\ud800', 'a\udc00', '\udc00\ud800', 'x\ud83d']) {
      assertInvalid(() => checkStringValue('title', value, limits), "'title'", 'lone surrogate');
    }
    checkStringValue('title', 'emoji \ud83d\ude00 ok', limits);
  });

  it('bounds values per attribute and operations per request, naming the settings', () => {
    checkValueCount('emails', 1000, limits);
    assertInvalid(() => checkValueCount('emails', 1001, limits), "'emails'", '1001', 'MAX_VALUES_PER_ATTRIBUTE');
    checkOperationCount(1000, limits);
    assertInvalid(() => checkOperationCount(1001, limits), '1001', 'MAX_PATCH_OPERATIONS');
  });

  it('measures the folded key, which can be many times longer than the value', () => {
    // U+FDFA is 3 bytes and becomes 18 code points (33 bytes) under NFKC.
    assert.equal(Buffer.byteLength(foldKey('\uFDFA')), 33);
    const value = '\uFDFA'.repeat(32);
    assert.ok(Buffer.byteLength(value) < 100);
    assertInvalid(() => checkKeyBytes('userName', foldKey(value), limits), "'userName'", '1056 bytes', 'MAX_KEY_BYTES');
    assert.equal(checkKeyBytes('userName', foldKey('\uFDFA'.repeat(31)), limits).length, 31 * 18);
    assert.equal(checkKeyBytes('userName', 'k'.repeat(1024), limits), 'k'.repeat(1024));
    assertInvalid(() => checkKeyBytes('userName', 'k'.repeat(1025), limits), '1025 bytes');
  });
});
