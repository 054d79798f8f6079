import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { stringifyFilter } from '../filter/filter.stringify.js';
import { assertPatchError, group, patch } from './patch-test.helpers.js';
import type { MemberDelta } from './patch.types.js';

function delta(operations: unknown[], lenient = true): MemberDelta | undefined {
  const result = patch(group(), operations, { lenient });
  assert.deepEqual(result.resource, group(), 'member operations never touch the document');
  assert.equal(result.changed, false);
  return result.members;
}

const add = (...ids: string[]) => ({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) });
const replace = (...ids: string[]) => ({ op: 'replace', path: 'members', value: ids.map((value) => ({ value })) });
const removeId = (id: string) => ({ op: 'remove', path: `members[value eq "${id}"]` });
const removeAll = { op: 'remove', path: 'members' };

const empty: MemberDelta = { add: [], removeIds: [], removeAll: false, removeWhere: [] };

describe('Group member deltas composed from sequences of operations', () => {
  it('no member operation → no delta', () => {
    assert.equal(patch(group(), [{ op: 'replace', path: 'displayName', value: 'Ops' }]).members, undefined);
  });

  it('add: ids in order, duplicates merged, a stated type kept', () => {
    const ops = [
      {
        op: 'add',
        path: 'members',
        value: [{ value: 'u1' }, { value: 'g1', type: 'group' }, { value: 'u1', type: 'User' }],
      },
    ];
    assert.deepEqual(delta(ops), {
      ...empty,
      add: [
        { value: 'u1', type: 'User' },
        { value: 'g1', type: 'Group' },
      ],
    });
  });

  it('remove then add of the same id keeps the member (only add remains)', () => {
    assert.deepEqual(delta([removeId('u1'), add('u1')]), { ...empty, add: [{ value: 'u1' }] });
  });

  it('add then remove of the same id drops it from add and removes a stored one', () => {
    assert.deepEqual(delta([add('u1', 'u2'), removeId('u1')]), { ...empty, add: [{ value: 'u2' }], removeIds: ['u1'] });
  });

  it('replace then add merges into replaceAll', () => {
    assert.deepEqual(delta([replace('u1'), add('u2', 'u1')]), {
      ...empty,
      replaceAll: [{ value: 'u1' }, { value: 'u2' }],
    });
  });

  it('replace then remove takes the id out of replaceAll', () => {
    assert.deepEqual(delta([replace('u1', 'u2'), removeId('u1')]), { ...empty, replaceAll: [{ value: 'u2' }] });
  });

  it('anything then replace: replaceAll alone', () => {
    assert.deepEqual(delta([add('u1'), removeId('u9'), removeAll, replace('u2')]), {
      ...empty,
      replaceAll: [{ value: 'u2' }],
    });
  });

  it('remove all then add: removeAll with add', () => {
    assert.deepEqual(delta([add('u1'), removeId('u2'), removeAll, add('u3')], false), {
      ...empty,
      removeAll: true,
      add: [{ value: 'u3' }],
    });
  });

  it('remove all then remove an id: nothing more to record', () => {
    assert.deepEqual(delta([removeAll, add('u1', 'u2'), removeId('u1')], false), {
      ...empty,
      removeAll: true,
      add: [{ value: 'u2' }],
    });
  });

  it('value eq … or value eq … becomes removeIds', () => {
    const result = delta([{ op: 'remove', path: 'members[value eq "a" or value eq "b" or VALUE eq "c"]' }]);
    assert.deepEqual(result, { ...empty, removeIds: ['a', 'b', 'c'] });
  });

  it('other filters go to removeWhere, validated in element scope', () => {
    const result = delta([
      { op: 'remove', path: 'members[type eq "Group"]' },
      { op: 'remove', path: 'members[value eq "a" and type eq "User"]' },
    ]);
    assert.deepEqual(
      result?.removeWhere.map((f) => stringifyFilter(f)),
      ['type eq "Group"', 'value eq "a" and type eq "User"'],
    );
    assert.equal(result?.removeWhere[0]?.kind === 'compare' && result.removeWhere[0].attribute.path, 'members.type');
  });

  it('a removeWhere after adds is applied to the pending members too', () => {
    const ops = [
      {
        op: 'add',
        path: 'members',
        value: [
          { value: 'g1', type: 'Group' },
          { value: 'u1', type: 'User' },
        ],
      },
      { op: 'remove', path: 'members[type eq "Group"]' },
    ];
    const result = delta(ops);
    assert.deepEqual(result?.add, [{ value: 'u1', type: 'User' }]);
    assert.equal(result?.removeWhere.length, 1);
    const replaced = delta([
      { op: 'replace', path: 'members', value: [{ value: 'g1', type: 'Group' }] },
      { op: 'remove', path: 'members[type eq "Group"]' },
    ]);
    assert.deepEqual(replaced, { ...empty, replaceAll: [] });
  });

  it('a removeWhere that cannot be decided for a pending member fails (invalidFilter)', () => {
    assertPatchError(
      group(),
      [add('u1'), { op: 'remove', path: 'members[type eq "Group"]' }],
      'invalidFilter',
      /members\.type for member u1/,
    );
    assertPatchError(
      group(),
      [add('u1'), { op: 'remove', path: 'members[display sw "A"]' }],
      'invalidFilter',
      /members\.display/,
    );
  });

  it('members are added or removed whole (RFC 7643 §4.2 immutable sub-attributes): other forms → mutability', () => {
    for (const op of [
      { op: 'replace', path: 'members[value eq "u1"]', value: { value: 'u2' } },
      { op: 'add', path: 'members[value eq "u1"].type', value: 'User' },
      { op: 'remove', path: 'members[value eq "u1"].type' },
      { op: 'replace', path: 'members.value', value: 'u2' },
    ]) {
      assertPatchError(group(), [op], 'mutability', /added or removed whole/);
    }
  });

  it('member values are checked: a value is required and type is User or Group', () => {
    assertPatchError(
      group(),
      [{ op: 'add', path: 'members', value: [{ display: 'x' }] }],
      'invalidValue',
      /non-empty 'value'/,
    );
    assertPatchError(group(), [{ op: 'add', path: 'members', value: [{ value: '' }] }], 'invalidValue');
    assertPatchError(
      group(),
      [{ op: 'add', path: 'members', value: [{ value: 'u1', type: 'Device' }] }],
      'invalidValue',
      /"Device"/,
    );
    assertPatchError(
      group(),
      [{ op: 'add', path: 'members', value: [{ value: 'u1', extra: 1 }] }],
      'invalidValue',
      /extra/,
      { lenient: false },
    );
  });

  it('pathless add of members and displayName: both are applied', () => {
    const result = patch(group(), [{ op: 'add', value: { displayName: 'Ops', members: [{ value: 'u1' }] } }]);
    assert.deepEqual(result.resource, group({ displayName: 'Ops' }));
    assert.deepEqual(result.members?.add, [{ value: 'u1' }]);
  });
});
