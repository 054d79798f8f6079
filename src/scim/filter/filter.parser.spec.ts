import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SCHEMA_ENTERPRISE_USER, SCHEMA_USER } from '../scim.constants.js';
import {
  and,
  attrPath,
  compare,
  COMPARE_OPERATORS,
  eq,
  not,
  or,
  present,
  valuePath,
  type FilterNode,
} from './filter.ast.js';
import { parseFilter } from './filter.parser.js';

const a = eq('a', 'x');
const b = eq('b', 'y');
const c = eq('c', 'z');

describe('parseFilter precedence and grouping (RFC 7644 §3.4.2.2)', () => {
  it('binds "and" tighter than "or" on either side', () => {
    assert.deepEqual(parseFilter('a eq "x" or b eq "y" and c eq "z"'), or(a, and(b, c)));
    assert.deepEqual(parseFilter('a eq "x" and b eq "y" or c eq "z"'), or(and(a, b), c));
  });

  it('groups three-term chains of one operator to the left', () => {
    assert.deepEqual(parseFilter('a eq "x" and b eq "y" and c eq "z"'), and(and(a, b), c));
    assert.deepEqual(parseFilter('a eq "x" or b eq "y" or c eq "z"'), or(or(a, b), c));
    assert.deepEqual(
      parseFilter('a pr or b pr and c pr or d pr'),
      or(or(present('a'), and(present('b'), present('c'))), present('d')),
    );
  });

  it('keeps parentheses as grouping', () => {
    assert.deepEqual(parseFilter('(a eq "x" or b eq "y") and c eq "z"'), and(or(a, b), c));
    assert.deepEqual(parseFilter('a eq "x" and (b eq "y" or c eq "z")'), and(a, or(b, c)));
    assert.deepEqual(parseFilter('a eq "x" or (b eq "y" or c eq "z")'), or(a, or(b, c)));
    assert.deepEqual(parseFilter('((a eq "x"))'), a);
  });

  it('applies "not" to its parenthesised filter only', () => {
    assert.deepEqual(parseFilter('not (a eq "x") and b eq "y"'), and(not(a), b));
    assert.deepEqual(parseFilter('not (a eq "x" or b eq "y")'), not(or(a, b)));
    assert.deepEqual(parseFilter('b eq "y" or not(a eq "x")'), or(b, not(a)));
    assert.deepEqual(parseFilter('not (not (a eq "x"))'), not(not(a)));
  });

  it('reads operators and keywords case-insensitively', () => {
    assert.deepEqual(parseFilter('a EQ "x" AnD NOT (b Eq "y") OR c eQ "z"'), or(and(a, not(b)), c));
    assert.deepEqual(parseFilter('title PR'), present('title'));
    assert.deepEqual(parseFilter('active eq TRUE'), eq('active', true));
    assert.deepEqual(parseFilter('x eq NULL'), eq('x', null));
    for (const op of COMPARE_OPERATORS) {
      assert.deepEqual(parseFilter(`x ${op.toUpperCase()} 1`), compare(op, 'x', 1));
    }
  });

  it('accepts any whitespace run between tokens', () => {
    assert.deepEqual(parseFilter('  a   eq\t"x"\r\nand b eq "y" '), and(a, b));
  });
});

describe('parseFilter values', () => {
  it('lets keywords be string values and attribute names', () => {
    assert.deepEqual(parseFilter('userName eq "and"'), eq('userName', 'and'));
    assert.deepEqual(parseFilter('title eq "or" or title eq "not"'), or(eq('title', 'or'), eq('title', 'not')));
    assert.deepEqual(parseFilter('title eq "a) or (b"'), eq('title', 'a) or (b'));
    assert.deepEqual(parseFilter('pr pr'), present('pr'));
    assert.deepEqual(parseFilter('and eq "x" and or pr'), and(eq('and', 'x'), present('or')));
  });

  it('decodes every JSON string escape', () => {
    assert.deepEqual(
      parseFilter(String.raw`x eq "q\"b\\s\/f\b\f\n\r\t\u00e9\uD83D\uDE00"`),
      eq('x', 'q"b\\s/f\b\f\n\r\t\u00e9\u{1F600}'),
    );
    assert.deepEqual(parseFilter('x eq "Dušan 日本"'), eq('x', 'Dušan 日本'));
    assert.deepEqual(parseFilter('x eq ""'), eq('x', ''));
  });

  it('reads JSON numbers and literals', () => {
    assert.deepEqual(parseFilter('x gt 0'), compare('gt', 'x', 0));
    assert.deepEqual(parseFilter('x gt -1.5e3'), compare('gt', 'x', -1500));
    assert.deepEqual(parseFilter('x lt 2E-2'), compare('lt', 'x', 0.02));
    assert.deepEqual(parseFilter('x eq false'), eq('x', false));
  });

  it('takes an unquoted non-JSON word after an operator as a string (Entra ID)', () => {
    assert.deepEqual(parseFilter('externalId eq jyoung'), eq('externalId', 'jyoung'));
    assert.deepEqual(parseFilter('userName sw O'), compare('sw', 'userName', 'O'));
    assert.deepEqual(parseFilter('x eq 007'), eq('x', '007'));
    assert.deepEqual(parseFilter('x eq and and y eq or'), and(eq('x', 'and'), eq('y', 'or')));
    assert.deepEqual(parseFilter("x eq O'Brien"), eq('x', "O'Brien"));
  });
});

describe('parseFilter attribute paths', () => {
  it('splits URN-qualified paths at the last ":" and then at "."', () => {
    assert.deepEqual(
      parseFilter(`${SCHEMA_USER}:userName sw "J"`),
      compare('sw', attrPath('userName', undefined, SCHEMA_USER), 'J'),
    );
    assert.deepEqual(
      parseFilter(`${SCHEMA_USER}:name.givenName pr`),
      present(attrPath('name', 'givenName', SCHEMA_USER)),
    );
    assert.deepEqual(
      parseFilter(`${SCHEMA_ENTERPRISE_USER}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`),
      eq(attrPath('manager', 'value', SCHEMA_ENTERPRISE_USER), '26118915-6090-4610-87e4-49d8ca9f808d'),
    );
  });

  it('reads dotted sub-attributes and $ref', () => {
    assert.deepEqual(parseFilter('name.givenName eq "Barbara"'), eq(attrPath('name', 'givenName'), 'Barbara'));
    assert.deepEqual(parseFilter('members.$ref pr'), present(attrPath('members', '$ref')));
  });

  it('keeps the client spelling of names', () => {
    assert.deepEqual(parseFilter('USERNAME eq "x"'), eq('USERNAME', 'x'));
  });
});

describe('parseFilter value paths', () => {
  it('parses a bracketed filter with paths relative to the attribute', () => {
    assert.deepEqual(
      parseFilter('emails[type eq "work" and value co "@example.com"]'),
      valuePath('emails', and(eq('type', 'work'), compare('co', 'value', '@example.com'))),
    );
    assert.deepEqual(
      parseFilter(`${SCHEMA_USER}:emails[primary eq true]`),
      valuePath(attrPath('emails', undefined, SCHEMA_USER), eq('primary', true)),
    );
  });

  it('reads x[f].sub op v as the value path x[f and sub op v]', () => {
    assert.deepEqual(
      parseFilter('emails[type eq "work"].value eq "x@example.com"'),
      valuePath('emails', and(eq('type', 'work'), eq('value', 'x@example.com'))),
    );
    assert.deepEqual(
      parseFilter('emails[type eq "a" or type eq "b"].value pr and x pr'),
      and(valuePath('emails', and(or(eq('type', 'a'), eq('type', 'b')), present('value'))), present('x')),
    );
  });

  it('combines value paths with logical operators and grouping', () => {
    assert.deepEqual(
      parseFilter('userType eq "Employee" and emails[type eq "work" or (primary eq true and value co "@x")]'),
      and(
        eq('userType', 'Employee'),
        valuePath('emails', or(eq('type', 'work'), and(eq('primary', true), compare('co', 'value', '@x')))),
      ),
    );
    assert.deepEqual(parseFilter('not (emails[type eq "work"])'), not(valuePath('emails', eq('type', 'work'))));
    assert.deepEqual(parseFilter('emails[not (type eq "work")]'), valuePath('emails', not(eq('type', 'work'))));
  });
});

describe('RFC 7644 §3.4.2.2 example filters', () => {
  const examples: [string, FilterNode][] = [
    ['userName eq "bjensen"', eq('userName', 'bjensen')],
    ['name.familyName co "O\'Malley"', compare('co', 'name.familyName', "O'Malley")],
    ['userName sw "J"', compare('sw', 'userName', 'J')],
    [`${SCHEMA_USER}:userName sw "J"`, compare('sw', attrPath('userName', undefined, SCHEMA_USER), 'J')],
    ['title pr', present('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', compare('gt', 'meta.lastModified', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', compare('ge', 'meta.lastModified', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', compare('lt', 'meta.lastModified', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', compare('le', 'meta.lastModified', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(present('title'), eq('userType', 'Employee'))],
    ['title pr or userType eq "Intern"', or(present('title'), eq('userType', 'Intern'))],
    [`schemas eq "${SCHEMA_ENTERPRISE_USER}"`, eq('schemas', SCHEMA_ENTERPRISE_USER)],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(
        eq('userType', 'Employee'),
        or(compare('co', 'emails', 'example.com'), compare('co', 'emails.value', 'example.org')),
      ),
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(
        compare('ne', 'userType', 'Employee'),
        not(or(compare('co', 'emails', 'example.com'), compare('co', 'emails.value', 'example.org'))),
      ),
    ],
    ['userType eq "Employee" and (emails.type eq "work")', and(eq('userType', 'Employee'), eq('emails.type', 'work'))],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(
        eq('userType', 'Employee'),
        valuePath('emails', and(eq('type', 'work'), compare('co', 'value', '@example.com'))),
      ),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        valuePath('emails', and(eq('type', 'work'), compare('co', 'value', '@example.com'))),
        valuePath('ims', and(eq('type', 'xmpp'), compare('co', 'value', '@foo.com'))),
      ),
    ],
  ];
  for (const [text, tree] of examples) {
    it(text, () => assert.deepEqual(parseFilter(text), tree));
  }
});
