import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { canonicalKeys } from './canonical-keys.js';
import { ScimException } from './errors/scim.exception.js';

describe('canonicalKeys', () => {
  const names = ['schemas', 'Operations', 'failOnErrors'];

  it('renames keys that match a canonical name in another case and keeps the rest as sent', () => {
    const copy = canonicalKeys({ SCHEMAS: ['x'], operations: [], FailOnErrors: 1, Extra: true }, names);
    assert.deepEqual(copy, { schemas: ['x'], Operations: [], failOnErrors: 1, Extra: true });
  });

  it('leaves the input untouched and returns a plain object', () => {
    const body = { operations: [1] };
    const copy = canonicalKeys(body, names);
    assert.deepEqual(body, { operations: [1] });
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  });

  it('rejects two keys naming the same member with 400 invalidSyntax naming both', () => {
    assert.throws(
      () => canonicalKeys({ Operations: [], operations: [] }, names, 'Operations[3]'),
      (error: unknown) =>
        error instanceof ScimException &&
        error.status === 400 &&
        error.scimType === 'invalidSyntax' &&
        error.detail.startsWith('Operations[3]: ') &&
        error.detail.includes('"Operations" and "operations"'),
    );
  });

  it('does not check unknown keys for duplicates', () => {
    assert.deepEqual(canonicalKeys({ extra: 1, EXTRA: 2 }, names), { extra: 1, EXTRA: 2 });
  });

  it('keeps a "__proto__" member a plain member', () => {
    const copy = canonicalKeys(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>, names);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.equal((copy as { polluted?: unknown }).polluted, undefined);
  });
});
