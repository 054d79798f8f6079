import { CreateCoreTables1763800000000 } from './1763800000000-create-core-tables.js';
import { AddQueryIndexes1763900000000 } from './1763900000000-add-query-indexes.js';
import { IdentifierKeys1764000000000 } from './1764000000000-identifier-keys.js';
import { CreateDirectories1764100000000 } from './1764100000000-create-directories.js';
import { DirectoryColumns1764200000000 } from './1764200000000-directory-columns.js';
import { SchemaExtensions1764300000000 } from './1764300000000-schema-extensions.js';
import { AuditLog1764400000000 } from './1764400000000-audit-log.js';
import { TokenBindings1764500000000 } from './1764500000000-token-bindings.js';
import { GroupDisplayNameKey1764600000000 } from './1764600000000-group-display-name-key.js';
import { SoftDelete1764700000000 } from './1764700000000-soft-delete.js';

/** Every migration, in order. Listed explicitly so the build needs no glob loading. */
export const MIGRATIONS = [
  CreateCoreTables1763800000000,
  AddQueryIndexes1763900000000,
  IdentifierKeys1764000000000,
  CreateDirectories1764100000000,
  DirectoryColumns1764200000000,
  SchemaExtensions1764300000000,
  AuditLog1764400000000,
  TokenBindings1764500000000,
  GroupDisplayNameKey1764600000000,
  SoftDelete1764700000000,
];
