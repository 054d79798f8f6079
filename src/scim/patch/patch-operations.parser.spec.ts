import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_INPUT_LIMITS } from '../resource/input-limits.js';
import { parsePatchOperations } from './patch-operations.parser.js';
import { assertScimError, registry } from './patch-test.helpers.js';

function parse(operations: unknown, lenient = true, maxOperations = DEFAULT_INPUT_LIMITS.patchOperations) {
  return parsePatchOperations(registry, 'User', operations, lenient, maxOperations);
}

describe('parsePatchOperations: the Operations array (RFC 7644 §3.5.2)', () => {
  for (const [label, operations] of [
    ['an object', { op: 'add', value: {} }],
    ['a string', 'add'],
    ['null', null],
    ['undefined', undefined],
  ] as const) {
    it(`rejects ${label} with invalidSyntax`, () => {
      assertScimError(() => parse(operations), 'invalidSyntax', /must be an array/);
    });
  }

  it('rejects an empty array with invalidSyntax', () => {
    assertScimError(() => parse([]), 'invalidSyntax', /at least one operation/);
  });

  it('rejects more operations than the limit (MAX_PATCH_OPERATIONS) before parsing any', () => {
    const ops = (n: number) => Array.from({ length: n }, () => ({ op: 'replace', path: 'title', value: 't' }));
    assert.equal(parse(ops(5), true, 5).length, 5);
    assertScimError(
      () => parse(ops(6), true, 5),
      'invalidValue',
      /"Operations" has 6 operations; the limit is 5 per request \(MAX_PATCH_OPERATIONS\)/,
    );
    assertScimError(() => parse([...ops(5), 'bad'], true, 5), 'invalidValue', /MAX_PATCH_OPERATIONS/);
  });

  it('rejects an operation that is not an object, naming its index', () => {
    assertScimError(
      () => parse([{ op: 'add', value: {} }, 'remove']),
      'invalidSyntax',
      /^Operations\[1\]: Each operation must be an object/,
    );
  });

  for (const op of ['move', 'copy', 'test', '', 7, null, undefined]) {
    it(`rejects op ${JSON.stringify(op)} with invalidSyntax`, () => {
      assertScimError(() => parse([{ op, path: 'userName', value: 'x' }]), 'invalidSyntax', /"op" must be/);
    });
  }

  for (const lenient of [true, false]) {
    it(`accepts op names and member names in any case (lenient ${lenient}; Entra sends "Add")`, () => {
      const ops = parse(
        [
          { op: 'Add', path: 'nickName', value: 'Babs' },
          { OP: 'REPLACE', Path: 'title', VALUE: 'Boss' },
          { op: 'remove', path: 'title' },
        ],
        lenient,
      );
      assert.deepEqual(
        ops.map((o) => [o.op, o.path?.kind === 'attribute' ? o.path.target.path : undefined, o.value]),
        [
          ['add', 'nickName', 'Babs'],
          ['replace', 'title', 'Boss'],
          ['remove', 'title', undefined],
        ],
      );
    });
  }

  it('requires "value" for add and replace (§3.5.2.1, §3.5.2.3)', () => {
    assertScimError(() => parse([{ op: 'add', path: 'nickName' }]), 'invalidSyntax', /"add" needs a "value"/);
    assertScimError(() => parse([{ op: 'replace' }]), 'invalidSyntax', /"replace" needs a "value"/);
  });

  it('takes a null value as a value (RFC 7643 §2.5 unassigned)', () => {
    assert.equal(parse([{ op: 'replace', path: 'nickName', value: null }])[0]?.value, null);
  });

  it('rejects remove without path with noTarget (§3.5.2.2)', () => {
    assertScimError(() => parse([{ op: 'remove' }]), 'noTarget', /needs a "path"/);
    assertScimError(() => parse([{ op: 'remove', path: null }]), 'noTarget');
  });

  it('rejects a path that is not a string with invalidSyntax', () => {
    assertScimError(
      () => parse([{ op: 'add', path: ['userName'], value: 'x' }]),
      'invalidSyntax',
      /"path" must be a string/,
    );
  });

  it('reads an empty path as none in lenient mode and as a malformed path in strict mode', () => {
    assert.equal(parse([{ op: 'add', path: '', value: {} }])[0]?.path, undefined);
    assertScimError(() => parse([{ op: 'add', path: '', value: {} }], false), 'invalidPath', /empty/);
  });

  it('parses every path before anything is applied, so a bad last path fails the request', () => {
    assertScimError(
      () =>
        parse([
          { op: 'add', path: 'nickName', value: 'x' },
          { op: 'add', path: 'nope', value: 'x' },
        ]),
      'invalidPath',
      /^Operations\[1\]: Path "nope": unknown attribute/,
    );
  });
});
