import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SCOPE, ResourceScope, registeredTable, sqlIdentifier } from './resource-scope.js';

const other = ResourceScope.of({ id: 2, slug: 'other', settings: {} });

describe('A registered resource type table in the scoped builder', () => {
  it('is accepted as a plain identifier and qualified like a built-in table', () => {
    const devices = registeredTable({ table: 'devices' });
    assert.equal(DEFAULT_SCOPE.from(devices, 'd'), 'devices d');
    assert.equal(DEFAULT_SCOPE.where(devices, 'd'), 'd.directory_id = 1');
    assert.equal(
      DEFAULT_SCOPE.insertInto(devices, 'id', ['$1']),
      'INSERT INTO devices (directory_id, id) VALUES (1, $1)',
    );
  });

  it('refuses a name that is not a plain lower-case identifier, since it is written into SQL', () => {
    for (const name of ['devices; DROP TABLE users', 'Devices', '"devices"', 'a b', '', '1devices', 'x'.repeat(64)]) {
      assert.throws(() => registeredTable({ table: name }), /not a plain SQL identifier/, name);
      assert.throws(() => sqlIdentifier(name), /not a plain SQL identifier/, name);
    }
  });
});

describe('The directory a scope enforces', () => {
  it('is the predicate of every resource table, qualified by the alias or else the table', () => {
    for (const table of ['group_members', 'multi_values'] as const) {
      assert.equal(other.where(table), `${table}.directory_id = 2`);
      assert.equal(other.where(table, 'x'), 'x.directory_id = 2');
      assert.equal(DEFAULT_SCOPE.where(table, 'x'), 'x.directory_id = 1');
    }
  });

  it('hides soft-deleted users and groups from every statement, and names them only when asked', () => {
    for (const table of ['users', 'groups'] as const) {
      assert.equal(other.where(table), `${table}.directory_id = 2 AND ${table}.deleted_at IS NULL`);
      assert.equal(other.where(table, 'x'), 'x.directory_id = 2 AND x.deleted_at IS NULL');
      assert.equal(other.whereDeleted(table, 'x'), 'x.directory_id = 2 AND x.deleted_at IS NOT NULL');
      assert.equal(other.whereAll(table, 'x'), 'x.directory_id = 2');
      assert.equal(ResourceScope.keepsDeleted(table), true);
    }
    assert.equal(ResourceScope.keepsDeleted('group_members'), false);
    assert.throws(() => other.whereDeleted('multi_values'), /keeps no deleted rows/);
    assert.equal(other.whereAll('multi_values', 'mv'), 'mv.directory_id = 2');
  });

  it('is written by every insert into a resource table, once per row', () => {
    assert.equal(
      other.insertInto('group_members', 'group_id, member_id', ['$1, $2', '$1, $3']),
      'INSERT INTO group_members (directory_id, group_id, member_id) VALUES (2, $1, $2), (2, $1, $3)',
    );
    assert.throws(() => other.insertInto('users', 'id', []), /needs its rows/);
  });

  it('leaves the tables that are not resource rows unscoped (their code handles a directory itself)', () => {
    assert.equal(other.where('api_tokens', 't'), '1 = 1');
    assert.equal(other.where('server_state'), '1 = 1');
    assert.equal(other.insertInto('server_state', '"key", value'), 'INSERT INTO server_state ("key", value)');
  });

  it('names its prepared statements apart from other directories, and caches its statements apart', () => {
    assert.notEqual(other.statementName('users_by_id'), DEFAULT_SCOPE.statementName('users_by_id'));
    const build = (s: ResourceScope): string => `SELECT 1 FROM ${s.from('users')} WHERE ${s.where('users')}`;
    assert.equal(
      other.statement(build),
      'SELECT 1 FROM users WHERE users.directory_id = 2 AND users.deleted_at IS NULL',
    );
    assert.equal(
      DEFAULT_SCOPE.statement(build),
      'SELECT 1 FROM users WHERE users.directory_id = 1 AND users.deleted_at IS NULL',
    );
  });

  it('is one instance per directory id, and only for a positive safe integer id (it is written into SQL)', () => {
    assert.equal(ResourceScope.of({ id: 2, slug: 'other', settings: {} }), other);
    for (const id of [0, -1, 1.5, Number.NaN, 2 ** 53]) {
      assert.throws(() => ResourceScope.of({ id, slug: 'x', settings: {} }), /not a positive integer/, String(id));
    }
  });
});
