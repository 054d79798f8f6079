import { Inject, Injectable } from '@nestjs/common';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { registeredTable, type ResourceScope } from '../database/scope/resource-scope.js';
import { SQL_READER, type SqlReader } from '../database/sql-reader.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { SchemaDefinition } from '../scim/schema/attribute-definition.js';
import type { ExtendableType, ExtensionDefinition } from '../scim/schema/extension-definition.js';
import type { ResourceStorage } from '../scim/schema/resource-type.definition.js';
import type { DirectoryExtensions, ExtensionSource } from '../scim/schema/schema-catalog.js';

/** A registered extension as stored: its definition and its own meta (RFC 7643 §3.1). */
export interface StoredExtension extends ExtensionDefinition {
  readonly created: string;
  readonly lastModified: string;
  readonly version: number;
}

interface SchemaRow {
  readonly definition: string;
  readonly resource_type: string;
  readonly required: boolean | number;
  readonly created: string;
  readonly last_modified: string;
  readonly version: number | string;
}

const COLUMNS = 'definition, resource_type, required, created, last_modified, version';

function toStored(row: SchemaRow): StoredExtension {
  return {
    schema: JSON.parse(row.definition) as SchemaDefinition,
    resourceType: row.resource_type as ExtendableType,
    required: row.required === true || row.required === 1,
    created: row.created,
    lastModified: row.last_modified,
    version: Number(row.version),
  };
}

/**
 * The only SQL on `directory_schemas` and `directory_schema_state` (per-directory extension
 * schemas and their version). Directory ids are integers from the `directories` table,
 * always bound.
 */
@Injectable()
export class ExtensionsRepository implements ExtensionSource {
  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
  ) {}

  async version(directoryId: number): Promise<number> {
    const rows = await this.reader.all<{ version: number | string }>(
      'directory_schema_version',
      'SELECT version FROM directory_schema_state WHERE directory_id = $1',
      [directoryId],
    );
    return rows[0] ? Number(rows[0].version) : 0;
  }

  async load(directoryId: number): Promise<DirectoryExtensions> {
    // The version first: a change between the two reads makes the next check reload again.
    const version = await this.version(directoryId);
    return { version, extensions: await this.list(directoryId) };
  }

  async list(directoryId: number): Promise<StoredExtension[]> {
    const rows = await this.reader.all<SchemaRow>(
      undefined,
      `SELECT ${COLUMNS} FROM directory_schemas WHERE directory_id = $1 ORDER BY id_key`,
      [directoryId],
    );
    return rows.map(toStored);
  }

  /** The extension with this URN (case-insensitive), locked for the change that reads it. */
  async findForUpdate(uow: UnitOfWork, urn: string): Promise<StoredExtension | undefined> {
    const rows = await uow.query<SchemaRow>(
      `SELECT ${COLUMNS} FROM directory_schemas WHERE directory_id = $1 AND id_key = $2${this.dialect.lock('update')}`,
      [uow.scope.directoryId, urn.toLowerCase()],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async count(uow: UnitOfWork): Promise<number> {
    const rows = await uow.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM directory_schemas WHERE directory_id = $1',
      [uow.scope.directoryId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async insert(uow: UnitOfWork, extension: ExtensionDefinition, now: string): Promise<void> {
    await uow.query(
      `INSERT INTO directory_schemas (directory_id, id, id_key, resource_type, required, definition, created, last_modified, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)`,
      [
        uow.scope.directoryId,
        extension.schema.id,
        extension.schema.id.toLowerCase(),
        extension.resourceType,
        extension.required,
        JSON.stringify(extension.schema),
        now,
      ],
    );
  }

  async update(uow: UnitOfWork, extension: ExtensionDefinition, now: string): Promise<void> {
    await uow.query(
      `UPDATE directory_schemas SET resource_type = $3, required = $4, definition = $5, last_modified = $6,
       version = version + 1 WHERE directory_id = $1 AND id_key = $2`,
      [
        uow.scope.directoryId,
        extension.schema.id.toLowerCase(),
        extension.resourceType,
        extension.required,
        JSON.stringify(extension.schema),
        now,
      ],
    );
  }

  async delete(uow: UnitOfWork, urn: string): Promise<void> {
    await uow.query('DELETE FROM directory_schemas WHERE directory_id = $1 AND id_key = $2', [
      uow.scope.directoryId,
      urn.toLowerCase(),
    ]);
  }

  /** Moves the directory's schema version, so every instance reloads its registry. */
  async bumpVersion(uow: UnitOfWork): Promise<void> {
    const id = uow.scope.directoryId;
    await uow.query(
      `INSERT INTO directory_schema_state (directory_id, version) VALUES ($1, 1)
       ON CONFLICT (directory_id) DO UPDATE SET version = directory_schema_state.version + 1`,
      [id],
    );
  }

  /** Whether any resource of the directory holds a value of the extension attribute (RFC 7643 §3.3 layout). */
  async hasValues(uow: UnitOfWork, storage: ResourceStorage, urn: string, attribute: string): Promise<boolean> {
    const scope: ResourceScope = uow.scope;
    const table = registeredTable(storage);
    const present = this.dialect.json.present(`${storage.alias}.doc`, [urn, attribute]);
    const rows = await uow.query(
      `SELECT 1 AS x FROM ${scope.from(table, storage.alias)} WHERE ${scope.where(table, storage.alias)} AND ${present} LIMIT 1`,
      [],
    );
    return rows.length > 0;
  }

  /**
   * Whether any resource holds a value of sub-attribute `sub` of the complex extension
   * attribute (in any element when it is multi-valued).
   */
  async hasSubValues(
    uow: UnitOfWork,
    storage: ResourceStorage,
    at: { readonly urn: string; readonly attribute: string; readonly sub: string; readonly multiValued: boolean },
  ): Promise<boolean> {
    const scope: ResourceScope = uow.scope;
    const table = registeredTable(storage);
    const doc = `${storage.alias}.doc`;
    const json = this.dialect.json;
    const held = at.multiValued
      ? `EXISTS (SELECT 1 FROM ${json.elements(doc, [at.urn, at.attribute], 'e')} WHERE ${json.elementText('e', at.sub)} IS NOT NULL)`
      : json.present(doc, [at.urn, at.attribute, at.sub]);
    const rows = await uow.query(
      `SELECT 1 AS x FROM ${scope.from(table, storage.alias)} WHERE ${scope.where(table, storage.alias)} AND ${held} LIMIT 1`,
      [],
    );
    return rows.length > 0;
  }

  /** Drops every side-table value of an attribute that is no longer unique (removed, or its uniqueness dropped). */
  async forgetUniqueValues(uow: UnitOfWork, type: string, attributeKey: string): Promise<void> {
    await uow.query(
      'DELETE FROM extension_unique_values WHERE directory_id = $1 AND resource_type = $2 AND attribute = $3',
      [uow.scope.directoryId, type, attributeKey.toLowerCase()],
    );
  }

  /** Every extension row of the unit's directory: the last step of a directory's purge, before its row goes. */
  async deleteDirectory(uow: UnitOfWork): Promise<void> {
    for (const table of ['extension_unique_values', 'directory_schemas', 'directory_schema_state']) {
      await uow.query(`DELETE FROM ${table} WHERE directory_id = $1`, [uow.scope.directoryId]);
    }
  }
}
