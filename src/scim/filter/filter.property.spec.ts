import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { ScimException } from '../errors/scim.exception.js';
import { SCHEMA_ENTERPRISE_USER, SCHEMA_USER } from '../scim.constants.js';
import {
  and,
  attrPath,
  COMPARE_OPERATORS,
  compare,
  not,
  or,
  present,
  valuePath,
  type AttrPath,
  type CompareValue,
  type FilterNode,
} from './filter.ast.js';
import { parseFilter } from './filter.parser.js';
import { stringifyFilter } from './filter.stringify.js';

/** Names include keywords and literals, which the parser must tell apart by position. */
const nameArb = fc.oneof(
  fc.constantFrom('userName', 'emails', '$ref', 'pr', 'and', 'or', 'not', 'NOT', 'eq', 'true', 'null'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/),
);

const schemaUriArb = fc.constantFrom(SCHEMA_USER, SCHEMA_ENTERPRISE_USER, 'urn:x', 'urn:a.b:c-d:1.0');

const pathArb: fc.Arbitrary<AttrPath> = fc
  .tuple(nameArb, fc.option(nameArb, { nil: undefined }), fc.option(schemaUriArb, { nil: undefined }))
  .map(([name, subAttr, schemaUri]) => attrPath(name, subAttr, schemaUri));

const simplePathArb: fc.Arbitrary<AttrPath> = fc
  .tuple(nameArb, fc.option(schemaUriArb, { nil: undefined }))
  .map(([name, schemaUri]) => attrPath(name, undefined, schemaUri));

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnitArb = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** Values of a valid filter: anything but NUL, which filters refuse. */
const valueUnitArb = fc.integer({ min: 1, max: 0xffff }).map((code) => String.fromCharCode(code));

const valueArb: fc.Arbitrary<CompareValue> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }).map((v) => v.replaceAll('\u0000', '')),
  fc.string({ unit: valueUnitArb }),
  fc.constantFrom('and', 'or', 'not', 'pr', ')', '(', ']', '['),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const leafArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...COMPARE_OPERATORS), pathArb, valueArb)
    .map(([op, path, value]) => compare(op, path, value)),
  pathArb.map((path) => present(path)),
);

function filterArb(withValuePaths: boolean): fc.Arbitrary<FilterNode> {
  const { node } = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb,
      fc.tuple(tie('node'), tie('node')).map(([l, r]) => and(l, r)),
      fc.tuple(tie('node'), tie('node')).map(([l, r]) => or(l, r)),
      tie('node').map((inner) => not(inner)),
      ...(withValuePaths
        ? [fc.tuple(simplePathArb, filterArb(false)).map(([path, inner]) => valuePath(path, inner))]
        : []),
    ),
  }));
  return node;
}

/** Parsing either succeeds with a tree that survives a round trip, or fails as invalidFilter. */
function assertTotal(text: string): void {
  let tree: FilterNode;
  try {
    tree = parseFilter(text);
  } catch (error) {
    assert.ok(error instanceof ScimException, `${JSON.stringify(text)} threw ${String(error)}`);
    assert.equal(error.scimType, 'invalidFilter');
    return;
  }
  assert.deepEqual(parseFilter(stringifyFilter(tree)), tree);
}

const TOKENS = [
  '(',
  ')',
  '[',
  ']',
  '"',
  '"x"',
  '\\',
  ' ',
  ' ',
  '.',
  ':',
  'and',
  'OR',
  'not',
  'not (',
  'eq',
  'pr',
  'co',
  'gt',
  'a',
  'emails',
  'name.givenName',
  'urn:x:y',
  '1',
  '-2.5e3',
  'true',
  'null',
  '\\u00',
  '\u{1F600}',
];

describe('filter properties', () => {
  it('parse(stringify(tree)) deep-equals tree', () => {
    fc.assert(
      fc.property(filterArb(true), (tree) => {
        assert.deepEqual(parseFilter(stringifyFilter(tree)), tree);
      }),
      { numRuns: 1000 },
    );
  });

  it('random strings give a FilterNode or invalidFilter', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), assertTotal), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: codeUnitArb }), assertTotal), { numRuns: 500 });
  });

  it('random bytes give a FilterNode or invalidFilter', () => {
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        assertTotal(decoder.decode(bytes));
        assertTotal(String.fromCharCode(...bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('token soup gives a FilterNode or invalidFilter', () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 });
    fc.assert(
      fc.property(soup, fc.constantFrom(' ', ''), (parts, sep) => assertTotal(parts.join(sep))),
      {
        numRuns: 3000,
      },
    );
  });

  it('deep nesting of any kind gives invalidFilter, never a RangeError', () => {
    const opener = fc.constantFrom('(', 'not (', 'emails[', 'a[');
    fc.assert(
      fc.property(opener, fc.integer({ min: 0, max: 5000 }), (open, depth) => {
        assertTotal(`${open.repeat(depth)}a pr${')'.repeat(depth)}`);
      }),
      { numRuns: 200 },
    );
  });
});
