import { attribute, type SchemaDefinition } from '../../src/scim/schema/attribute-definition.js';
import type { ResourceTypeDefinition } from '../../src/scim/schema/resource-type.definition.js';

export const DEVICE_SCHEMA_URN = 'urn:example:params:scim:schemas:test:2.0:Device';

/** A test-only third resource type: a string and a reference attribute, registered from tests only. */
export const DEVICE_SCHEMA: SchemaDefinition = {
  id: DEVICE_SCHEMA_URN,
  name: 'Device',
  description: 'A device (test-only resource type)',
  attributes: [
    attribute('serialNumber', 'string', { required: true, uniqueness: 'server' }),
    attribute('owner', 'reference', { referenceTypes: ['User'] }),
  ],
};

export const DEVICE_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'Device',
  name: 'Device',
  endpoint: '/Devices',
  description: 'Device',
  schema: DEVICE_SCHEMA_URN,
  schemaExtensions: [],
  storage: {
    table: 'devices',
    alias: 'd',
    columns: [
      { attribute: 'id', column: 'id', kind: 'exact', indexed: true },
      { attribute: 'serialNumber', column: 'serial_number_key', kind: 'folded', unique: true, indexed: true },
      { attribute: 'meta.created', column: 'created', kind: 'dateTime', indexed: true },
    ],
    computed: [],
  },
};
