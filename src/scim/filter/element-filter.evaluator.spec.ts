import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseFilter } from '../filter/filter.parser.js';
import { validateFilter, type ValidatedFilter } from '../filter/validate-filter.js';
import { attrPath } from '../filter/filter.ast.js';
import type { ResourceTypeName } from '../schema/schema-registry.js';
import { equalityConjunction, filterSubAttributes, matchesElement } from './element-filter.evaluator.js';
import { registry, TEST_EXTENSION, testRegistry } from '../patch/patch-test.helpers.js';

/** The bracket filter of `attribute[text]`, validated in element scope. */
function elementFilter(attribute: string, text: string, type: ResourceTypeName = 'User'): ValidatedFilter {
  const node = validateFilter(
    { kind: 'valuePath', path: attrPath(attribute), filter: parseFilter(text) },
    registry,
    type,
  );
  assert.equal(node.kind, 'valuePath');
  return node.filter;
}

const work = { value: 'Babs@Example.com', type: 'work', primary: true };
const home = { value: 'babs@home.org', type: 'home' };

describe('matchesElement (RFC 7644 §3.4.2.2 on one value)', () => {
  const cases: [string, object, boolean][] = [
    ['type eq "work"', work, true],
    ['type eq "WORK"', work, true], // emails.type is not caseExact
    ['type eq "work"', home, false],
    ['type ne "work"', home, true],
    ['display ne "x"', home, true], // absent: ne holds, as in SQL translation
    ['display eq "x"', home, false],
    ['value co "example"', work, true],
    ['value sw "babs@"', work, true],
    ['value ew ".org"', home, true],
    ['value gt "a"', work, true],
    ['primary eq true', work, true],
    ['primary eq "True"', work, true],
    ['primary eq true', home, false],
    ['primary pr', home, false],
    ['primary pr', work, true],
    ['not (primary pr)', home, true],
    ['type eq "work" and primary eq true', work, true],
    ['value eq "BABS@EXAMPLE.COM "', work, true], // the SQL side's key: outer white space out, case folded
    ['type eq "wo\u200brk"', work, true], // default-ignorable code points out
    ['value eq "STRASSE@x.de"', { value: 'straße@x.de' }, true], // full case folding
    ['type eq "home" or primary eq true', work, true],
    ['display eq null', home, true],
    ['type eq null', home, false],
    ['type ne null', home, true],
  ];
  for (const [text, element, expected] of cases) {
    it(`${text} on ${JSON.stringify(element)} → ${expected}`, () => {
      assert.equal(matchesElement(elementFilter('emails', text), element), expected);
    });
  }

  it('compares case-exact sub-attributes exactly (members.$ref is a reference)', () => {
    const filter = elementFilter('members', '$ref eq "https://x/Users/A"', 'Group');
    assert.equal(matchesElement(filter, { $ref: 'https://x/Users/A' }), true);
    assert.equal(matchesElement(filter, { $ref: 'https://x/users/a' }), false);
  });

  it('compares dateTime values as instants and integers as numbers', () => {
    const filter = (text: string) =>
      validateFilter(
        { kind: 'valuePath', path: attrPath('certificates', undefined, TEST_EXTENSION), filter: parseFilter(text) },
        testRegistry,
        'User',
      );
    const node = filter('issued gt "2024-01-01T00:00:00+02:00" and level ge 2');
    assert.equal(node.kind, 'valuePath');
    assert.equal(matchesElement(node.filter, { issued: '2023-12-31T23:00:00Z', level: 2 }), true);
    assert.equal(matchesElement(node.filter, { issued: '2023-12-31T21:00:00Z', level: 2 }), false);
    assert.equal(matchesElement(node.filter, { issued: '2023-12-31T23:00:00Z', level: 1 }), false);
  });

  it('matches nothing that is not an object', () => {
    assert.equal(matchesElement(elementFilter('emails', 'type ne "x"'), 'work'), false);
  });
});

describe('equalityConjunction', () => {
  it('collects eq comparisons joined by and', () => {
    assert.deepEqual(equalityConjunction(elementFilter('emails', 'type eq "work" and primary eq "true"')), {
      type: 'work',
      primary: true,
    });
  });

  for (const text of [
    'type ne "work"',
    'type eq "a" or type eq "b"',
    'type pr',
    'not (type eq "a")',
    'type eq null',
    'type eq "a" and type eq "b"',
  ]) {
    it(`is undefined for ${text}`, () => assert.equal(equalityConjunction(elementFilter('emails', text)), undefined));
  }
});

describe('filterSubAttributes', () => {
  it('lists the canonical sub-attribute names a filter reads', () => {
    const filter = elementFilter('members', 'VALUE eq "a" or not (type eq "Group" and display pr)', 'Group');
    assert.deepEqual([...filterSubAttributes(filter)].sort(), ['display', 'type', 'value']);
  });
});
