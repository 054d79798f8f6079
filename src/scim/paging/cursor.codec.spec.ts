import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { ScimException } from '../errors/scim.exception.js';
import {
  boundedKey,
  decodeCursor,
  encodeCursor,
  keyDigest,
  MAX_CURSOR_KEY_CHARS,
  MAX_CURSOR_LENGTH,
  queryHash,
  type CursorPayload,
} from './cursor.codec.js';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const NOW = 1_750_000_000;
const Q = queryHash({ resourceType: 'User', filter: 'userName sw "a"', sortBy: 'userName' });

const payload: CursorPayload = {
  v: 1,
  dir: 'next',
  key: ['alice@example.com', '2819c223-7f76-453a-919d-413861904646'],
  q: Q,
  exp: NOW + 600,
  count: 50,
};
const expected = { queryHash: Q, now: NOW, count: 50 };

/** Asserts that `fn` throws a ScimException with the given scimType and status 400. */
function assertScimError(fn: () => unknown, scimType: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimException, `expected ScimException, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType);
    return true;
  });
}

describe('encodeCursor / decodeCursor (RFC 9865 §2)', () => {
  it('round-trips a payload', () => {
    const text = encodeCursor(payload, KEY);
    assert.deepEqual(decodeCursor(text, KEY, expected), payload);
  });

  it('round-trips a prev cursor with numeric and null keys', () => {
    const prev: CursorPayload = { ...payload, dir: 'prev', key: [null, 42, -1.5, ''], count: 0 };
    assert.deepEqual(decodeCursor(encodeCursor(prev, KEY), KEY, { ...expected, count: 0 }), prev);
  });

  it('drops members that are not part of the payload', () => {
    const extra = { ...payload, secret: 'x' } as CursorPayload;
    assert.deepEqual(decodeCursor(encodeCursor(extra, KEY), KEY, expected), payload);
  });

  it('uses only RFC 3986 unreserved characters', () => {
    const text = encodeCursor({ ...payload, key: ['ü/+?&= "é', '😀'] }, KEY);
    assert.match(text, /^[A-Za-z0-9._~-]+$/);
  });

  it('stays short for typical keys', () => {
    const text = encodeCursor(payload, KEY);
    assert.ok(text.length < 512, `length ${text.length}`);
  });

  it('is deterministic for the same payload and key', () => {
    assert.equal(encodeCursor(payload, KEY), encodeCursor(payload, KEY));
  });

  it('refuses to encode a cursor longer than decodeCursor accepts', () => {
    assert.throws(() => encodeCursor({ ...payload, key: ['x'.repeat(MAX_CURSOR_LENGTH)] }, KEY), RangeError);
  });

  it('rejects a change to any character as invalidCursor', () => {
    const text = encodeCursor(payload, KEY);
    for (let i = 0; i < text.length; i++) {
      const replacement = text[i] === 'A' ? 'B' : 'A';
      const tampered = text.slice(0, i) + replacement + text.slice(i + 1);
      assertScimError(() => decodeCursor(tampered, KEY, expected), 'invalidCursor');
    }
  });

  it('rejects a cursor signed with another key as invalidCursor', () => {
    assertScimError(() => decodeCursor(encodeCursor(payload, OTHER_KEY), KEY, expected), 'invalidCursor');
  });

  it('rejects a cursor of another query as invalidCursor', () => {
    const other = queryHash({ resourceType: 'User', filter: 'userName sw "b"', sortBy: 'userName' });
    assertScimError(
      () => decodeCursor(encodeCursor(payload, KEY), KEY, { ...expected, queryHash: other }),
      'invalidCursor',
    );
  });

  it('rejects a signed payload of another version as invalidCursor', () => {
    const v2 = { ...payload, v: 2 } as unknown as CursorPayload;
    assertScimError(() => decodeCursor(encodeCursor(v2, KEY), KEY, expected), 'invalidCursor');
  });

  it('rejects a signed payload of the wrong shape as invalidCursor', () => {
    const shapes = [
      { ...payload, dir: 'up' },
      { ...payload, key: [{}] },
      { ...payload, key: 'a' },
      { ...payload, exp: 1.5 },
      { ...payload, count: -1 },
      { ...payload, q: 5 },
    ];
    for (const shape of shapes) {
      const text = encodeCursor(shape as unknown as CursorPayload, KEY);
      assertScimError(() => decodeCursor(text, KEY, expected), 'invalidCursor');
    }
  });

  it('accepts a cursor at its expiry second and rejects it one second later as expiredCursor', () => {
    const text = encodeCursor(payload, KEY);
    assert.deepEqual(decodeCursor(text, KEY, { ...expected, now: payload.exp }), payload);
    assertScimError(() => decodeCursor(text, KEY, { ...expected, now: payload.exp + 1 }), 'expiredCursor');
  });

  it('rejects a changed count as invalidCount (RFC 9865 §2.1)', () => {
    const text = encodeCursor(payload, KEY);
    assertScimError(() => decodeCursor(text, KEY, { ...expected, count: 51 }), 'invalidCount');
  });

  it('checks the query before expiry and expiry before count', () => {
    const text = encodeCursor(payload, KEY);
    const stale = { queryHash: 'other', now: payload.exp + 1, count: 1 };
    assertScimError(() => decodeCursor(text, KEY, stale), 'invalidCursor');
    assertScimError(() => decodeCursor(text, KEY, { ...stale, queryHash: Q }), 'expiredCursor');
  });

  it('rejects garbage as invalidCursor', () => {
    const signature = encodeCursor(payload, KEY).split('.')[1];
    const garbage = [
      '',
      '.',
      'abc',
      'abc.def',
      `.${signature}`,
      `abc.${signature}`,
      `${Buffer.from('not json').toString('base64url')}.${signature}`,
      'a'.repeat(10 * 1024),
      `${'a'.repeat(10 * 1024)}.${signature}`,
      '%00.%00',
      'ab cd.ef',
      encodeCursor(payload, KEY) + '.',
      encodeCursor(payload, KEY) + '=',
    ];
    for (const text of garbage) {
      assertScimError(() => decodeCursor(text, KEY, expected), 'invalidCursor');
    }
  });

  it('rejects a signed body that is not JSON as invalidCursor', () => {
    const body = Buffer.from('{"v":1', 'utf8').toString('base64url');
    const forged = `${body}.${encodeCursor(payload, KEY).split('.')[1]}`;
    assertScimError(() => decodeCursor(forged, KEY, expected), 'invalidCursor');
  });

  it('rejects a non-string as invalidCursor', () => {
    assertScimError(() => decodeCursor(undefined as unknown as string, KEY, expected), 'invalidCursor');
    assertScimError(() => decodeCursor(42 as unknown as string, KEY, expected), 'invalidCursor');
  });
});

describe('cursor properties', () => {
  const keyValue = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(null),
  );
  const payloadArb = fc.record({
    v: fc.constant(1 as const),
    dir: fc.constantFrom('next' as const, 'prev' as const),
    key: fc.array(keyValue, { maxLength: 4 }),
    q: fc.string({ maxLength: 30 }),
    exp: fc.integer({ min: 0, max: 2 ** 40 }),
    count: fc.nat({ max: 10_000 }),
  });

  it('random payloads round-trip with only unreserved characters', () => {
    fc.assert(
      fc.property(payloadArb, fc.uint8Array({ minLength: 1, maxLength: 64 }), (p, k) => {
        const key = Buffer.from(k);
        const text = encodeCursor(p, key);
        assert.match(text, /^[A-Za-z0-9._~-]+$/);
        // JSON turns -0 into 0; compare against the JSON view of the payload.
        const decoded = decodeCursor(text, key, { queryHash: p.q, now: p.exp, count: p.count });
        assert.deepEqual(decoded, JSON.parse(JSON.stringify(p)));
      }),
    );
  });

  it('random strings never throw anything but ScimException', () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9_-]{0,80}\.[A-Za-z0-9_-]{43}$/));
    fc.assert(
      fc.property(text, (t) => {
        try {
          decodeCursor(t, KEY, expected);
          assert.fail('a random string decoded');
        } catch (error) {
          assert.ok(error instanceof ScimException);
          assert.equal(error.scimType, 'invalidCursor');
        }
      }),
    );
  });
});

describe('queryHash', () => {
  const base = { resourceType: 'User', filter: 'userName eq "a"', sortBy: 'userName', sortOrder: 'ascending' };

  it('is 22 base64url characters', () => {
    assert.match(queryHash(base), /^[A-Za-z0-9_-]{22}$/);
  });

  it('is stable under trimming, sortOrder case, and absent versus empty parts', () => {
    const h = queryHash(base);
    assert.equal(
      queryHash({ ...base, resourceType: ' User ', sortOrder: 'ASCENDING', filter: ' userName eq "a" ' }),
      h,
    );
    assert.equal(queryHash({ ...base, attributes: '', excludedAttributes: '  ', tenant: '' }), h);
  });

  it('changes with every part', () => {
    const h = queryHash(base);
    const variants = [
      { ...base, resourceType: 'Group' },
      { ...base, tenant: 't1' },
      { ...base, filter: 'userName eq "b"' },
      { ...base, filter: 'userName  eq "a"' },
      { ...base, sortBy: 'displayName' },
      { ...base, sortOrder: 'descending' },
      { ...base, attributes: 'userName' },
      { ...base, excludedAttributes: 'emails' },
    ];
    const hashes = new Set(variants.map((v) => queryHash(v)));
    assert.equal(hashes.size, variants.length);
    assert.equal(hashes.has(h), false);
  });

  it('does not confuse parts whose concatenation is equal', () => {
    assert.notEqual(
      queryHash({ resourceType: 'User', attributes: 'a,b', excludedAttributes: '' }),
      queryHash({ resourceType: 'User', attributes: 'a', excludedAttributes: ',b' }),
    );
  });
});

describe('boundedKey (cursors stay small whatever the sort values)', () => {
  const id = '2819c223-7f76-453a-919d-413861904646';

  it('leaves keys within the bound as they are, without a digest', () => {
    const key = [0, 'x'.repeat(MAX_CURSOR_KEY_CHARS), id];
    assert.deepEqual(boundedKey(key), { key });
  });

  it('cuts a longer string at MAX_CURSOR_KEY_CHARS code points and carries the digest of the whole key', () => {
    const key = [0, 'x'.repeat(3500), id];
    assert.deepEqual(boundedKey(key), { key: [0, 'x'.repeat(MAX_CURSOR_KEY_CHARS), id], cut: keyDigest(key) });
  });

  it('never splits a surrogate pair and counts code points, not UTF-16 units', () => {
    const within = '😀'.repeat(MAX_CURSOR_KEY_CHARS);
    assert.deepEqual(boundedKey([within, id]), { key: [within, id] });
    const cut = boundedKey(['😀'.repeat(MAX_CURSOR_KEY_CHARS + 1), id]);
    assert.equal(cut.key[0], within);
  });

  it('digests tell keys apart that share the kept prefix', () => {
    const a = [0, `${'x'.repeat(300)}a`, id];
    const b = [0, `${'x'.repeat(300)}b`, id];
    assert.deepEqual(boundedKey(a).key, boundedKey(b).key);
    assert.notEqual(boundedKey(a).cut, boundedKey(b).cut);
  });

  it('round-trips a cut key through the cursor, and keeps any cursor far below MAX_CURSOR_LENGTH', () => {
    const worst = ['\u0000\ud800'.repeat(5000), '😀'.repeat(5000), '"\\'.repeat(5000)];
    for (const value of worst) {
      const bounded = boundedKey([1, value, id]);
      const text = encodeCursor({ ...payload, ...bounded }, KEY);
      assert.ok(text.length < MAX_CURSOR_LENGTH * 0.75, `${text.length} characters`);
      assert.deepEqual(decodeCursor(text, KEY, expected), { ...payload, ...bounded });
    }
  });
});
