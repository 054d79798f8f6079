import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SCOPE, registeredTable, sqlIdentifier } from './resource-scope.js';

describe('A registered resource type table in the scoped builder', () => {
  it('is accepted as a plain identifier and qualified like a built-in table', () => {
    const devices = registeredTable({ table: 'devices' });
    assert.equal(DEFAULT_SCOPE.from(devices, 'd'), 'devices d');
    assert.equal(DEFAULT_SCOPE.insertInto(devices, 'id'), 'INSERT INTO devices (id)');
  });

  it('refuses a name that is not a plain lower-case identifier, since it is written into SQL', () => {
    for (const name of ['devices; DROP TABLE users', 'Devices', '"devices"', 'a b', '', '1devices', 'x'.repeat(64)]) {
      assert.throws(() => registeredTable({ table: name }), /not a plain SQL identifier/, name);
      assert.throws(() => sqlIdentifier(name), /not a plain SQL identifier/, name);
    }
  });
});
