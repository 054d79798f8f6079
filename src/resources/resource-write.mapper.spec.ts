import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimException } from '../scim/errors/scim.exception.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import { toResourceWrite, uniqueValues, writtenColumns } from './resource-write.mapper.js';

const LIMITS = { keyBytes: 64 };

describe('toResourceWrite derives column values from the document, per the storage descriptor', () => {
  it('writes every column but id, created and lastModified, in storage order', () => {
    assert.deepEqual(
      writtenColumns(USER_RESOURCE_TYPE.storage).map((c) => c.column),
      ['user_name_key', 'display_name_key', 'active', 'external_id'],
    );
  });

  it('folds keys, keeps exact values, booleans and absent values as null', () => {
    const doc = { schemas: ['x'], userName: ' Alice ', displayName: 'STRASSE', active: false };
    const write = toResourceWrite(USER_RESOURCE_TYPE.storage, doc, LIMITS);
    assert.deepEqual(write.columns, [
      { column: 'user_name_key', value: 'alice' },
      { column: 'display_name_key', value: 'strasse' },
      { column: 'active', value: false },
      { column: 'external_id', value: null },
    ]);
    assert.equal(write.doc, JSON.stringify(doc));
  });

  it('checks a unique or identifier folded value as an identifier (RFC 8264), unless it is the stored one', () => {
    const tab = { schemas: ['x'], userName: 'a\tb' };
    assert.throws(
      () => toResourceWrite(USER_RESOURCE_TYPE.storage, tab, LIMITS),
      (e: unknown) => e instanceof ScimException && /U\+0009/.test(e.detail),
    );
    assert.equal(toResourceWrite(USER_RESOURCE_TYPE.storage, tab, LIMITS, tab).columns[0]?.value, 'a\tb');
    // Group displayName is not unique but an identifier (RFC 7643 §4.2): a tab is refused too.
    assert.throws(() => toResourceWrite(GROUP_RESOURCE_TYPE.storage, { displayName: 'A\tB' }, LIMITS), ScimException);
    // User displayName is neither: folded, not refused.
    assert.equal(
      toResourceWrite(USER_RESOURCE_TYPE.storage, { userName: 'u', displayName: 'A\tB' }, LIMITS).columns[1]?.value,
      'a\tb',
    );
  });

  it('bounds every key by MAX_KEY_BYTES', () => {
    const doc = { externalId: 'x'.repeat(65), userName: 'u' };
    assert.throws(
      () => toResourceWrite(USER_RESOURCE_TYPE.storage, doc, LIMITS),
      (e: unknown) => e instanceof ScimException && /externalId/.test(e.detail),
    );
  });

  it('names the unique attributes and their values for a uniqueness error', () => {
    assert.equal(uniqueValues(USER_RESOURCE_TYPE.storage, { userName: 'bjensen' }), "userName 'bjensen'");
  });
});
