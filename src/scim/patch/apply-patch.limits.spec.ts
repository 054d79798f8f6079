import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_INPUT_LIMITS } from '../resource/input-limits.js';
import { assertPatchError, patch, patched, user } from './patch-test.helpers.js';

/* The PATCH engine's share of the input limits: its work per request stays bounded. */

const limits = { ...DEFAULT_INPUT_LIMITS, valuesPerAttribute: 10 };
const emails = (n: number, prefix = 'e') =>
  Array.from({ length: n }, (_, i) => ({ value: `${prefix}${i}@x.org`, type: 'work' }));

describe('applyPatch: values of multi-valued attributes (MAX_VALUES_PER_ATTRIBUTE)', () => {
  it('an add may not grow an attribute past the limit', () => {
    assert.equal(
      (
        patched(user({ emails: emails(6) }), [{ op: 'add', path: 'emails', value: emails(4, 'n') }], { limits })[
          'emails'
        ] as unknown[]
      ).length,
      10,
    );
    assertPatchError(
      user({ emails: emails(6) }),
      [{ op: 'add', path: 'emails', value: emails(5, 'n') }],
      'invalidValue',
      /^Operations\[0\]: Attribute 'emails' has 11 values; the limit is 10 per attribute \(MAX_VALUES_PER_ATTRIBUTE\)/,
      { limits },
    );
  });

  it('nor may a replace', () => {
    assertPatchError(user(), [{ op: 'replace', path: 'emails', value: emails(11) }], 'invalidValue', /has 11 values/, {
      limits,
    });
    assertPatchError(user(), [{ op: 'replace', value: { emails: emails(11) } }], 'invalidValue', /has 11 values/, {
      limits,
    });
  });

  it('bounds the values one request adds or removes, however many operations carry them', () => {
    const stored = user({ emails: emails(6) });
    // Re-adding present values changes nothing, but each is still compared with the stored ones.
    const twice = [
      { op: 'add', path: 'emails', value: emails(6) },
      { op: 'add', path: 'emails', value: emails(6) },
    ];
    assertPatchError(
      stored,
      twice,
      'invalidValue',
      /^Operations\[1\]: The operations add or remove 12 values .*\(MAX_VALUES_PER_ATTRIBUTE\)/,
      { limits },
    );
    const removes = [
      { op: 'remove', path: 'emails', value: emails(6) },
      { op: 'remove', path: 'emails', value: emails(5) },
    ];
    assertPatchError(stored, removes, 'invalidValue', /add or remove 11 values/, { limits });
    assert.equal(patch(stored, twice.slice(0, 1), { limits }).changed, false);
  });

  it('finds repeated values case-insensitively among many (RFC 7644 §3.5.2.1: no duplicate)', () => {
    const many = emails(999);
    const result = patched(user({ emails: many }), [
      { op: 'add', path: 'emails', value: [{ value: 'E998@X.ORG' }, { value: 'new@x.org' }] },
    ])['emails'] as unknown[];
    assert.equal(result.length, 1000);
    assert.deepEqual(result[999], { value: 'new@x.org' });
    // A value without `value` is still compared with every stored one.
    const typed = patched(user({ emails: [{ value: 'a@x.org', type: 'home' }] }), [
      { op: 'add', path: 'emails', value: [{ type: 'home' }] },
    ]);
    assert.equal((typed['emails'] as unknown[]).length, 1);
  });
});
