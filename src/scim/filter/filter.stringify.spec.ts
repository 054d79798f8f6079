import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SCHEMA_USER } from '../scim.constants.js';
import { and, attrPath, compare, eq, not, or, present, valuePath, type FilterNode } from './filter.ast.js';
import { parseFilter } from './filter.parser.js';
import { stringifyFilter } from './filter.stringify.js';

const a = present('a');
const b = present('b');
const c = present('c');

describe('stringifyFilter', () => {
  const cases: [FilterNode, string][] = [
    [or(a, and(b, c)), 'a pr or b pr and c pr'],
    [and(or(a, b), c), '(a pr or b pr) and c pr'],
    [and(a, and(b, c)), 'a pr and (b pr and c pr)'],
    [and(and(a, b), c), 'a pr and b pr and c pr'],
    [or(a, or(b, c)), 'a pr or (b pr or c pr)'],
    [not(or(a, b)), 'not (a pr or b pr)'],
    [and(not(a), b), 'not (a pr) and b pr'],
    [eq('userName', 'say "hi"\n'), 'userName eq "say \\"hi\\"\\n"'],
    [compare('gt', 'x', -0), 'x gt -0'],
    [compare('ge', 'x', 1e21), 'x ge 1e+21'],
    [eq('x', null), 'x eq null'],
    [eq(attrPath('name', 'givenName', SCHEMA_USER), 'B'), `${SCHEMA_USER}:name.givenName eq "B"`],
    [
      valuePath('emails', and(or(eq('type', 'a'), eq('type', 'b')), present('value'))),
      'emails[(type eq "a" or type eq "b") and value pr]',
    ],
  ];
  for (const [tree, text] of cases) {
    it(`writes ${text} and reads it back as the same tree`, () => {
      assert.equal(stringifyFilter(tree), text);
      assert.deepEqual(parseFilter(text), tree);
    });
  }

  it('normalises operator case and unquoted values', () => {
    assert.equal(
      stringifyFilter(parseFilter('externalId EQ jyoung AND active Eq TRUE')),
      'externalId eq "jyoung" and active eq true',
    );
  });
});
