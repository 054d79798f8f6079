import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldKey } from './fold-key.js';
describe('foldKey', () => {
    const cases = [
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
        const broken = [];
        for (let cp = 0; cp <= 0x10ffff; cp++) {
            if (cp >= 0xd800 && cp <= 0xdfff)
                continue;
            const once = foldKey(String.fromCodePoint(cp));
            if (foldKey(once) !== once)
                broken.push(`U+${cp.toString(16).toUpperCase()}`);
        }
        assert.deepEqual(broken, []);
    });
});
//# sourceMappingURL=fold-key.spec.js.map