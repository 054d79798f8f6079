import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dialectFor } from './dialect.provider.js';

describe('SqlDialect', () => {
  const sqlite = dialectFor('sqlite');
  const postgres = dialectFor('postgres');

  it('row locks are PostgreSQL clauses and nothing on SQLite, which has one writer', () => {
    assert.equal(postgres.lock('update'), ' FOR UPDATE');
    assert.equal(postgres.lock('noKeyUpdate', { nowait: true }), ' FOR NO KEY UPDATE NOWAIT');
    assert.equal(postgres.lock('keyShare'), ' FOR KEY SHARE');
    assert.equal(sqlite.lock('update', { nowait: true }), '');
    assert.equal(sqlite.singleWriter, true);
    assert.equal(postgres.singleWriter, false);
  });

  it('locked ids lock in id order on PostgreSQL and are the ids themselves on SQLite', () => {
    assert.equal(
      postgres.lockedIds('groups', '1 = 1', 'SELECT 1', true),
      'SELECT id FROM groups WHERE 1 = 1 AND id IN (SELECT 1) ORDER BY id FOR NO KEY UPDATE NOWAIT',
    );
    assert.equal(sqlite.lockedIds('groups', '1 = 1', 'SELECT 1'), 'SELECT 1');
    assert.equal(postgres.advisoryTransactionLockSql, 'SELECT pg_advisory_xact_lock($1)');
    assert.equal(sqlite.advisoryTransactionLockSql, undefined);
  });

  it('binds values for the driver in one place: $n placeholders, booleans as 0/1 on SQLite', () => {
    assert.deepEqual(sqlite.toDriverQuery('SELECT $1, $2, $10', [true, false, 'x']), [
      'SELECT @p1, @p2, @p10',
      [{ p1: 1, p2: 0, p3: 'x' }],
    ]);
    assert.deepEqual(sqlite.toDriverQuery('SELECT 1', []), ['SELECT 1', []]);
    assert.deepEqual(postgres.toDriverQuery('SELECT $1', [true]), ['SELECT $1', [true]]);
  });

  it('JSON access differs per dialect and refuses unsafe keys', () => {
    assert.equal(sqlite.json.text('u.doc', ['name', 'givenName']), `json_extract(u.doc, '$."name"."givenName"')`);
    assert.equal(
      postgres.json.text('u.doc', ['name', 'givenName']),
      `jsonb_extract_path_text(u.doc::jsonb, 'name', 'givenName')`,
    );
    assert.throws(() => postgres.json.text('u.doc', ["x') OR 1=1 --"]), /unsafe JSON key/);
  });
});
