import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { attribute, type SchemaDefinition } from '../../src/scim/schema/attribute-definition.js';
import type { ResourceTypeDefinition } from '../../src/scim/schema/resource-type.definition.js';
import { startTestApp, usingPostgres, type TestApp } from './test-app.js';

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

/**
 * The only other file a new resource type needs: its table, in the SQL both databases
 * accept. Every resource table has id, directory_id, doc, version, created and
 * last_modified, and a column per stored attribute of the definition (here the folded,
 * unique serialNumber); directory_id leads every unique and lookup index.
 */
export class CreateDevices1900000000000 implements MigrationInterface {
  name = 'CreateDevices1900000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE devices (
      id varchar(36) PRIMARY KEY NOT NULL,
      directory_id integer NOT NULL,
      serial_number_key text NOT NULL,
      created varchar(24) NOT NULL,
      last_modified varchar(24) NOT NULL,
      version integer NOT NULL,
      doc text NOT NULL
    )`);
    await q.query('CREATE UNIQUE INDEX uq_devices_serial_number_key ON devices (directory_id, serial_number_key)');
    await q.query('CREATE INDEX ix_devices_created ON devices (directory_id, created, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE devices');
  }
}

/**
 * PostgreSQL tests share one database, whose reset empties only the built-in tables:
 * the Device table and its migration's record go before and after each Device app.
 */
async function dropDevices(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS devices');
    const { rows } = await client.query<{ t: string | null }>("SELECT to_regclass('public.typeorm_migrations') AS t");
    if (rows[0]?.t)
      await client.query('DELETE FROM typeorm_migrations WHERE name = $1', ['CreateDevices1900000000000']);
  } finally {
    await client.end();
  }
}

/** An app with the Device type registered and its table migrated (fresh on either database). */
export async function startDeviceApp(): Promise<TestApp> {
  if (usingPostgres()) await dropDevices();
  const t = await startTestApp({
    registry: {
      schemas: [DEVICE_SCHEMA],
      resourceTypes: [DEVICE_RESOURCE_TYPE],
      migrations: [CreateDevices1900000000000],
    },
  });
  return {
    ...t,
    close: async () => {
      await t.close();
      await dropDevices();
    },
  };
}
