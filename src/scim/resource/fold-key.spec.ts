import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_IGNORABLE_PG_CLASS } from '../../database/migrations/1764000000000-identifier-keys.js';
import { ScimException } from '../errors/scim.exception.js';
import { foldKey, identifierKey } from './fold-key.js';

describe('foldKey', () => {
  const cases: [string, string, string][] = [
    ['ASCII upper case', 'BJensen', 'bjensen'],
    ['already folded', 'bjensen@example.com', 'bjensen@example.com'],
    ['empty string', '', ''],
    ['ß folds to ss', 'Straße', 'strasse'],
    ['SS folds to ss', 'STRASSE', 'strasse'],
    ['capital sharp s ẞ (U+1E9E) folds to ss', 'STRAẞE', 'strasse'],
    ['full-width letters (NFKC)', 'Ｂｊｅｎｓｅｎ', 'bjensen'],
    ['ligature ﬁ (NFKC)', 'ﬁnance', 'finance'],
    ['ligature ﬀ (NFKC)', 'oﬀice', 'office'],
    ['roman numeral Ⅻ (NFKC)', 'Ⅻ', 'xii'],
    ['decomposed é composes (NFKC)', 'Cafe\u0301', 'caf\u00e9'],
    ['Greek capital word ends in final sigma', 'ΟΔΟΣ', 'οδος'],
    ['non-letters unchanged', '123-_.@ +', '123-_.@ +'],
    ['zero-width space inside (U+200B)', 'ali\u200bce', 'alice'],
    ['zero-width joiner at the end (U+200D)', 'alice\u200d', 'alice'],
    ['byte order mark in front (U+FEFF)', '\ufeffalice', 'alice'],
    ['soft hyphen (U+00AD)', 'al\u00adice', 'alice'],
    ['variation selector (U+FE0F)', 'alice\ufe0f', 'alice'],
    ['trailing space', 'alice ', 'alice'],
    ['leading space', ' alice', 'alice'],
    ['trailing tab', 'alice\t', 'alice'],
    ['ideographic and no-break spaces around (NFKC, then trimmed)', '\u3000Alice\u00a0', 'alice'],
    ['inner spaces kept', 'Alice  Smith', 'alice  smith'],
    ['only ignorables and spaces', ' \u200b\ufeff ', ''],
    ['ignorable between a letter and its combining mark: the mark still composes', 'e\u034f\u0301', '\u00e9'],
  ];
  for (const [label, input, expected] of cases) {
    it(`${label}: ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(foldKey(input), expected);
    });
  }

  it('makes case and compatibility variants meet', () => {
    const variants = ['Strasse', 'STRASSE', 'straße', 'STRAẞE', 'Ｓｔｒａｓｓｅ'];
    assert.deepEqual(new Set(variants.map(foldKey)), new Set(['strasse']));
  });

  it('is idempotent on sample strings', () => {
    for (const input of ['BJensen', 'Straße', 'ﬁ', 'Ｂｊｅｎｓｅｎ', 'İstanbul', 'ǅemal', 'ΌΣΟΣ', 'Ⅻ']) {
      const once = foldKey(input);
      assert.equal(foldKey(once), once, JSON.stringify(input));
    }
  });

  it('is idempotent for every Unicode scalar value', () => {
    const broken: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const once = foldKey(String.fromCodePoint(cp));
      if (foldKey(once) !== once) broken.push(`U+${cp.toString(16).toUpperCase()}`);
    }
    assert.deepEqual(broken, []);
  });

  it('makes the invisible and outer-space variants of a userName meet', () => {
    const variants = ['alice', 'ALICE', 'ali\u200bce', 'alice\u200d', '\ufeffalice', 'alice ', ' alice', 'alice\t'];
    assert.deepEqual(new Set(variants.map(foldKey)), new Set(['alice']));
  });

  it('PostgreSQL scim_fold() strips exactly the Default_Ignorable_Code_Point set', () => {
    const pattern = new RegExp(`[${DEFAULT_IGNORABLE_PG_CLASS.replace(/\\U000([0-9a-f]{5})/g, '\\u{$1}')}]`, 'u');
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (pattern.test(ch) !== /\p{Default_Ignorable_Code_Point}/u.test(ch)) differ.push(`U+${cp.toString(16)}`);
    }
    assert.deepEqual(differ, []);
  });
});

describe('identifierKey', () => {
  it('returns the fold key of a valid identifier', () => {
    assert.equal(identifierKey('userName', ' Ali\u200bce'), 'alice');
  });

  for (const [label, value] of [
    ['CR LF', 'bob\r\nX-Injected: 1'],
    ['TAB', 'alice\t'],
    ['NUL', 'al\u0000ice'],
    ['DEL', 'al\u007fice'],
    ['C1 NEL', 'al\u0085ice'],
  ] as const) {
    it(`refuses a control character (${label}) with 400 invalidValue naming the attribute`, () => {
      assert.throws(
        () => identifierKey('userName', value),
        (e: unknown) =>
          e instanceof ScimException &&
          e.status === 400 &&
          e.scimType === 'invalidValue' &&
          /'userName'/.test(e.detail),
      );
    });
  }

  for (const value of ['', ' ', '\u200b', '\ufeff \u200d', '\u3000']) {
    it(`refuses ${JSON.stringify(value)}, empty once its key is prepared`, () => {
      assert.throws(
        () => identifierKey('displayName', value),
        (e: unknown) => e instanceof ScimException && e.scimType === 'invalidValue' && /'displayName'/.test(e.detail),
      );
    });
  }
});
