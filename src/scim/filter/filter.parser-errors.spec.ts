import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ScimException } from '../errors/scim.exception.js';
import {
  DEFAULT_MAX_FILTER_DEPTH,
  DEFAULT_MAX_FILTER_LENGTH,
  DEFAULT_MAX_FILTER_TERMS,
  parseFilter,
  type ParseFilterOptions,
} from './filter.parser.js';
import { stringifyFilter } from './filter.stringify.js';

/** Asserts an invalidFilter ScimException whose detail is exactly `detail`. */
function assertInvalid(text: string, detail: string | RegExp, options?: ParseFilterOptions): void {
  assert.throws(
    () => parseFilter(text, options),
    (error: unknown) => {
      assert.ok(error instanceof ScimException, `expected ScimException, got ${String(error)}`);
      assert.equal(error.scimType, 'invalidFilter');
      assert.equal(error.status, 400);
      if (typeof detail === 'string') assert.equal(error.detail, detail);
      else assert.match(error.detail, detail);
      return true;
    },
  );
}

describe('parseFilter errors name a 0-based position and what was expected', () => {
  it('rejects an empty or blank filter', () => {
    assertInvalid('', 'Filter is empty');
    assertInvalid(' \t\r\n ', 'Filter is empty');
  });

  it('reports unclosed and unbalanced groups', () => {
    assertInvalid(
      'userName eq "bjensen" and (title pr',
      'Expected "and", "or" or ")" at position 35, found end of filter (the "(" at position 26 is not closed)',
    );
    assertInvalid('title pr)', 'Expected "and", "or" or end of filter at position 8, found ")"');
    assertInvalid('()', 'Expected an attribute path at position 1, found ")"');
    assertInvalid(
      'emails[type eq "work")',
      'Expected "and", "or" or "]" at position 21, found ")" (the "[" at position 6 is not closed)',
    );
  });

  it('requires "(" after "not" (RFC 7644 grammar `"not" "(" FILTER ")"`)', () => {
    assertInvalid('not userName eq "x"', 'Expected "(" after "not" at position 4, found "userName"');
    assertInvalid('a pr and not', 'Expected "(" after "not" at position 12, found end of filter');
  });

  it('reports missing operators, values and operands', () => {
    assertInvalid(
      'userName',
      'Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position 8, found end of filter',
    );
    assertInvalid('userName xx "a"', /^Expected an operator .* at position 9, found "xx"$/);
    assertInvalid('userName eq', 'Expected a value after "eq" at position 11, found end of filter');
    assertInvalid('userName eq (', 'Expected a value after "eq" at position 12, found "("');
    assertInvalid('a pr or', 'Expected an attribute path at position 7, found end of filter');
    assertInvalid(
      'a pr and and b pr',
      'Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position 13, found "b"',
    );
    assertInvalid('a eq "x" "y"', 'Expected "and", "or" or end of filter at position 9, found the string "y"');
    assertInvalid('12 eq "x"', 'Expected an attribute path at position 0, found "12"');
  });

  it('rejects malformed attribute paths', () => {
    assertInvalid('a.b.c pr', 'Invalid attribute path "a.b.c" at position 0');
    assertInvalid('x pr and :a pr', 'Invalid attribute path ":a" at position 9');
    assertInvalid('urn:x: pr', 'Invalid attribute path "urn:x:" at position 0');
    assertInvalid('1a pr', 'Invalid attribute path "1a" at position 0');
    assertInvalid('emails[type eq "work"].1 eq "x"', 'Invalid sub-attribute ".1" at position 22');
  });

  it('rejects nested value paths and value paths on sub-attributes', () => {
    assertInvalid('emails[type[value pr]]', 'Unexpected "[" at position 11: value paths cannot be nested');
    assertInvalid('name.givenName[x pr]', 'Expected an attribute without sub-attribute before "[" at position 14');
    assertInvalid(
      'emails[type eq "work"].value',
      'Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position 28, found end of filter',
    );
    assertInvalid('emails[type eq "work"] pr', 'Expected "and", "or" or end of filter at position 23, found "pr"');
  });

  it('reports string errors at their position', () => {
    assertInvalid('userName eq "bjensen', 'Unterminated string starting at position 12');
    assertInvalid('x eq "a\\', 'Unterminated string at position 7');
    assertInvalid('x eq "\\x"', 'Invalid escape "\\x" at position 6');
    assertInvalid('x eq "\\u12G4"', 'Expected 4 hex digits after "\\u" at position 6');
    assertInvalid('x eq "a\nb"', 'Control character U+000A at position 7 must be escaped in a string');
    assertInvalid('x eq 1e400', 'Number 1e400 at position 5 is out of range');
  });

  it('shortens long client text in details', () => {
    assertInvalid(`${'a'.repeat(100)}.b.c pr`, `Invalid attribute path "${'a'.repeat(40)}…" at position 0`);
  });
});

describe('parseFilter limits', () => {
  it('documents its defaults', () => {
    assert.equal(DEFAULT_MAX_FILTER_LENGTH, 16_384);
    assert.equal(DEFAULT_MAX_FILTER_DEPTH, 64);
    assert.equal(DEFAULT_MAX_FILTER_TERMS, 200);
  });

  it('accepts a 10,000-character filter and rejects one over the limit', () => {
    const long = `userName eq "${'x'.repeat(10_000 - 14)}"`;
    assert.equal(long.length, 10_000);
    assert.equal(parseFilter(long).kind, 'compare');
    const tooLong = `userName eq "${'x'.repeat(DEFAULT_MAX_FILTER_LENGTH)}"`;
    assertInvalid(tooLong, `Filter is ${tooLong.length} characters long; the maximum is 16384`);
    assertInvalid('a pr', 'Filter is 4 characters long; the maximum is 3', { maxLength: 3 });
  });

  it('accepts nesting up to the depth limit', () => {
    const nested = `${'('.repeat(DEFAULT_MAX_FILTER_DEPTH)}a pr${')'.repeat(DEFAULT_MAX_FILTER_DEPTH)}`;
    assert.deepEqual(parseFilter(nested), { kind: 'present', path: { name: 'a' } });
  });

  it('turns deep nesting into invalidFilter, never a stack overflow', () => {
    const depth = DEFAULT_MAX_FILTER_DEPTH + 1;
    assertInvalid(
      `${'('.repeat(depth)}a pr${')'.repeat(depth)}`,
      `Filter nesting exceeds the maximum depth of 64 at position ${depth - 1}`,
    );
    assertInvalid(`${'('.repeat(1000)}a pr${')'.repeat(1000)}`, /maximum depth of 64 at position 64$/);
    assertInvalid(`${'not ('.repeat(1000)}a pr${')'.repeat(1000)}`, /maximum depth of 64/);
    assertInvalid(`${'('.repeat(100_000)}`, /Filter is 100000 characters long/);
    assertInvalid('((a pr))', /maximum depth of 1 at position 1$/, { maxDepth: 1 });
  });

  it('bounds the number of attribute expressions, so chains stay shallow', () => {
    const chain = (n: number): string => Array.from({ length: n }, () => 'a pr').join(' or ');
    const tree = parseFilter(chain(DEFAULT_MAX_FILTER_TERMS));
    assert.deepEqual(parseFilter(stringifyFilter(tree)), tree);
    assertInvalid(
      chain(DEFAULT_MAX_FILTER_TERMS + 1),
      `Too many attribute expressions at position ${8 * DEFAULT_MAX_FILTER_TERMS}; the maximum is 200`,
    );
    assertInvalid('emails[a pr and b pr]', 'Too many attribute expressions at position 16; the maximum is 1', {
      maxTerms: 1,
    });
  });
});
