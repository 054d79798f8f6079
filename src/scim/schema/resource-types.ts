import { SCHEMA_ENTERPRISE_USER, SCHEMA_GROUP, SCHEMA_USER } from '../scim.constants.js';
import type { SchemaDefinition } from './attribute-definition.js';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema.js';
import { GROUP_SCHEMA } from './group.schema.js';
import type { ResourceTypeDefinition, StoredColumn } from './resource-type.definition.js';
import { USER_SCHEMA } from './user.schema.js';

/** The RFC 7643 §3.1 common attributes every resource table has a column for. */
const ID_COLUMN: StoredColumn = { attribute: 'id', column: 'id', kind: 'exact', indexed: true };
const META_COLUMNS: readonly StoredColumn[] = [
  { attribute: 'externalId', column: 'external_id', kind: 'exact', indexed: true },
  { attribute: 'meta.created', column: 'created', kind: 'dateTime', indexed: true },
  { attribute: 'meta.lastModified', column: 'last_modified', kind: 'dateTime' },
];

/** RFC 7643 §4.1; `password` is writeOnly and hashed, `groups` computed from memberships. */
export const USER_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: SCHEMA_USER,
  schemaExtensions: [{ schema: SCHEMA_ENTERPRISE_USER, required: false }],
  storage: {
    table: 'users',
    alias: 'u',
    columns: [
      ID_COLUMN,
      { attribute: 'userName', column: 'user_name_key', kind: 'folded', unique: true, indexed: true },
      { attribute: 'displayName', column: 'display_name_key', kind: 'folded', indexed: true },
      { attribute: 'active', column: 'active', kind: 'boolean' },
      ...META_COLUMNS,
    ],
    computed: [{ attribute: 'groups', kind: 'memberOf' }],
  },
};

/** RFC 7643 §4.2; `members` are rows of the membership table. */
export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: SCHEMA_GROUP,
  schemaExtensions: [],
  storage: {
    table: 'groups',
    alias: 'g',
    columns: [
      ID_COLUMN,
      // Not unique here: a directory's groupDisplayNameUnique setting makes it so, through the
      // nullable display_name_unique_key the group parts write (RFC 7643 §4.2 gives "none").
      { attribute: 'displayName', column: 'display_name_key', kind: 'folded', indexed: true, identifier: true },
      ...META_COLUMNS,
    ],
    computed: [{ attribute: 'members', kind: 'members' }],
    members: { attribute: 'members', memberTypes: ['User', 'Group'], setBased: true },
  },
};

/** The schemas and resource types every directory has. */
export const DEFAULT_SCHEMAS: readonly SchemaDefinition[] = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];
export const DEFAULT_RESOURCE_TYPES: readonly ResourceTypeDefinition[] = [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE];
