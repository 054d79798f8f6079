import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaRegistry } from '../schema/schema-registry.js';
import { SCHEMA_ENTERPRISE_USER as ENT, SCHEMA_USER } from '../scim.constants.js';
import { withoutStaleExtensions } from './stale-extensions.js';

describe('withoutStaleExtensions', () => {
  const registry = new SchemaRegistry();

  it('returns the document itself when every extension value is defined', () => {
    const doc = { schemas: [SCHEMA_USER, ENT], userName: 'a', [ENT]: { department: 'Sales' } };
    assert.equal(withoutStaleExtensions(registry, 'User', doc), doc);
  });

  it('drops unregistered extensions and undefined extension attributes, and their schemas entries', () => {
    const gone = 'urn:example:params:scim:schemas:extension:gone:2.0:User';
    const doc = {
      schemas: [SCHEMA_USER, ENT, gone],
      userName: 'a',
      [ENT]: { department: 'Sales', costCentre: 'x' },
      [gone]: { badge: 7 },
    };
    assert.deepEqual(withoutStaleExtensions(registry, 'User', doc), {
      schemas: [SCHEMA_USER, ENT],
      userName: 'a',
      [ENT]: { department: 'Sales' },
    });
    assert.deepEqual(doc[gone], { badge: 7 }, 'the stored document is left alone');
  });
});
