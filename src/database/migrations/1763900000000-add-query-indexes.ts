import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * For the query language (RFC 7644 §3.4.2): one row per element of a User's
 * multi-valued attributes with a `value` (emails, phoneNumbers, ims, photos,
 * entitlements, roles, x509Certificates), holding the comparison keys, so that
 * `emails.value eq` and `emails[type eq "work"]` are index probes; keyset indexes
 * for paging; and, on PostgreSQL, scim_fold() for case-insensitive comparison of
 * attributes kept only in the JSON document (SQLite gets it from the application).
 */
export class AddQueryIndexes1763900000000 implements MigrationInterface {
  name = 'AddQueryIndexes1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE multi_values (
      resource_id varchar(36) NOT NULL,
      attr varchar(128) NOT NULL,
      idx integer NOT NULL,
      value_key text,
      type_key text,
      display_key text,
      is_primary boolean NOT NULL,
      PRIMARY KEY (resource_id, attr, idx)
    )`);
    await q.query(`CREATE INDEX ix_multi_values_attr_value ON multi_values (attr, value_key)`);
    await q.query(`CREATE INDEX ix_users_created_id ON users (created, id)`);
    await q.query(`CREATE INDEX ix_groups_created_id ON groups (created, id)`);
    await q.query(`CREATE INDEX ix_groups_display_name_key_id ON groups (display_name_key, id)`);
    if (q.connection.options.type === 'postgres') {
      await q.query(`CREATE OR REPLACE FUNCTION scim_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS 'SELECT lower(upper(lower(normalize($1, NFKC))))'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') await q.query('DROP FUNCTION IF EXISTS scim_fold(text)');
    for (const index of ['ix_groups_display_name_key_id', 'ix_groups_created_id', 'ix_users_created_id']) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query('DROP TABLE multi_values');
  }
}
