import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-directory custom schema extensions (RFC 7643 §3.3, §7), as data, never as a schema
 * change at run time:
 *
 * - `directory_schemas`: one row per registered extension schema of a directory: its URN
 *   (`id` as registered, `id_key` lower-cased, since URNs compare case-insensitively), the
 *   resource type it extends, whether the type requires it, and its §7 definition as JSON.
 * - `directory_schema_state`: a per-directory schema version, bumped in the transaction of
 *   every change, which other instances compare to decide that their cached registry is stale.
 * - `extension_unique_values`: the values of `uniqueness: "server"` extension attributes, one
 *   row per value, written in the unit of work of the resource's change: the unique index makes
 *   the database refuse a duplicate within a directory, resource type and attribute.
 */
export class SchemaExtensions1764300000000 implements MigrationInterface {
  name = 'SchemaExtensions1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE directory_schemas (
      directory_id integer NOT NULL,
      id varchar(255) NOT NULL,
      id_key varchar(255) NOT NULL,
      resource_type varchar(64) NOT NULL,
      required boolean NOT NULL,
      definition text NOT NULL,
      created varchar(24) NOT NULL,
      last_modified varchar(24) NOT NULL,
      version integer NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX uq_directory_schemas_id ON directory_schemas (directory_id, id_key)`);
    await q.query(`CREATE TABLE directory_schema_state (
      directory_id integer PRIMARY KEY,
      version integer NOT NULL
    )`);
    await q.query(`CREATE TABLE extension_unique_values (
      directory_id integer NOT NULL,
      resource_type varchar(64) NOT NULL,
      attribute varchar(320) NOT NULL,
      value_key text NOT NULL,
      resource_id varchar(36) NOT NULL
    )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_extension_unique_values ON extension_unique_values (directory_id, resource_type, attribute, value_key)`,
    );
    await q.query(
      `CREATE INDEX ix_extension_unique_values_resource ON extension_unique_values (directory_id, resource_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE extension_unique_values');
    await q.query('DROP TABLE directory_schema_state');
    await q.query('DROP TABLE directory_schemas');
  }
}
