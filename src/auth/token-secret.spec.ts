import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import {
  displayPrefix,
  generateSecret,
  hashesEqual,
  hashSecret,
  parseScopes,
  SCOPES,
  TOKEN_PREFIX,
  type Scope,
} from './token-secret.js';

describe('generateSecret', () => {
  it('is "scim_" followed by 43 base64url characters encoding 256 bits', () => {
    const secret = generateSecret();
    assert.equal(TOKEN_PREFIX, 'scim_');
    assert.match(secret, /^scim_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(secret.slice(5), 'base64url').length, 32);
  });

  it('never repeats over 1,000 draws', () => {
    const draws = Array.from({ length: 1000 }, () => generateSecret());
    assert.equal(new Set(draws).size, 1000);
    assert.ok(draws.every((s) => /^scim_[A-Za-z0-9_-]{43}$/.test(s)));
  });
});

describe('hashSecret', () => {
  const cases: [string, string][] = [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ];
  for (const [input, hex] of cases) {
    it(`is the SHA-256 hex digest of ${JSON.stringify(input)}`, () => assert.equal(hashSecret(input), hex));
  }

  it('hashes the UTF-8 bytes and returns 64 lower-case hex characters', () => {
    const secret = 'scim_ÄÖü€';
    assert.equal(hashSecret(secret), createHash('sha256').update(Buffer.from(secret, 'utf8')).digest('hex'));
    assert.match(hashSecret(generateSecret()), /^[0-9a-f]{64}$/);
  });
});

describe('hashesEqual', () => {
  const h1 = hashSecret('one');
  const h2 = hashSecret('two');
  const cases: [string, string, string, boolean][] = [
    ['equal hashes', h1, hashSecret('one'), true],
    ['different hashes', h1, h2, false],
    ['hashes differing in the last digit', h1, h1.slice(0, -1) + (h1.endsWith('0') ? '1' : '0'), false],
    ['different lengths', h1, h1.slice(0, 62), false],
    ['empty against a hash', '', h1, false],
    ['a hash against non-hex text', h1, 'z'.repeat(64), false],
    ['two different non-hex strings', 'zz', 'yy', false],
    ['a hash with non-hex text appended', h1 + 'zz', h1, false],
    ['odd-length strings differing in the last digit', 'abc', 'abd', false],
  ];
  for (const [label, a, b, expected] of cases) {
    it(`${label} → ${expected}`, () => {
      assert.equal(hashesEqual(a, b), expected);
      assert.equal(hashesEqual(b, a), expected);
    });
  }
});

describe('parseScopes', () => {
  const cases: [string, Scope[]][] = [
    ['scim', ['scim']],
    ['admin', ['admin']],
    ['scim,admin', ['scim', 'admin']],
    [' admin , scim ', ['admin', 'scim']],
    ['scim,bogus,', ['scim']],
    ['SCIM,Admin', []],
    ['', []],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseScopes(input), expected));
  }

  it('knows exactly the scopes scim and admin', () => assert.deepEqual(SCOPES, ['scim', 'admin']));
});

describe('displayPrefix', () => {
  it('shows the first 12 characters only', () => {
    assert.equal(displayPrefix('scim_abcdefghijklmnop'), 'scim_abcdefg');
    assert.equal(displayPrefix('short'), 'short');
  });
});
