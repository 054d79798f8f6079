import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedAttributes, MAX_CHANGED_ATTRIBUTES, resourceNameOf } from './changed-attributes.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('changedAttributes names the paths a change wrote, never values', () => {
  it('reports top-level attributes, sub-attributes of complex ones and extension attributes', () => {
    const before = { id: '1', userName: 'a', name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ value: 'x' }] };
    const after = {
      id: '1',
      userName: 'a',
      name: { givenName: 'Anne', familyName: 'Lee' },
      emails: [{ value: 'y' }],
      title: 'Eng',
      [ENTERPRISE]: { manager: { value: 'm' } },
    };
    assert.deepEqual(changedAttributes(before, after), ['name.givenName', 'emails', 'title', `${ENTERPRISE}:manager`]);
  });

  it('reports a removed attribute, nothing for an unchanged document, and ignores id, meta and schemas', () => {
    assert.deepEqual(changedAttributes({ title: 'Eng', nickName: 'A' }, { nickName: 'A' }), ['title']);
    assert.deepEqual(changedAttributes({ id: '1', schemas: ['a'] }, { id: '2', schemas: ['b'], meta: {} }), []);
  });

  it('is bounded', () => {
    const after = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`a${i}`, i]));
    assert.equal(changedAttributes({}, after).length, MAX_CHANGED_ATTRIBUTES);
  });

  it('names a resource by its userName, else its displayName', () => {
    assert.equal(resourceNameOf({ userName: 'u', displayName: 'd' }), 'u');
    assert.equal(resourceNameOf({ displayName: 'd' }), 'd');
    assert.equal(resourceNameOf({}), undefined);
  });
});
