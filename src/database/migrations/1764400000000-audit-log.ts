import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provisioning log (src/audit/): one row per mutation, written in the mutation's
 * transaction, and one per failed mutating request or per client address and minute of
 * failed authentication (`aggregate_key`, `occurrences`), written after the response.
 *
 * - `id` grows with every row and is never reused (AUTOINCREMENT, identity): newest first
 *   is `ORDER BY id DESC`, and a cursor is the last id a page showed.
 * - `directory_id` is NULL only for failed authentication, which names no directory it may
 *   be trusted to belong to; it leads every index a directory's log is read through.
 * - `changed_attributes` and `member_ids` are JSON: attribute paths and member ids, never values.
 * - `ix_audit_log_time` serves the retention pruning, which deletes by age across directories.
 */
export class AuditLog1764400000000 implements MigrationInterface {
  name = 'AuditLog1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const postgres = q.connection.options.type === 'postgres';
    const key = postgres ? 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE audit_log (
      id ${key},
      directory_id integer,
      time varchar(24) NOT NULL,
      token_id varchar(36),
      token_name varchar(200),
      request_id varchar(64),
      client_ip varchar(64),
      user_agent varchar(256),
      method varchar(10) NOT NULL,
      path varchar(512) NOT NULL,
      operation varchar(16) NOT NULL,
      resource_type varchar(64),
      resource_id varchar(255),
      resource_name varchar(256),
      status integer NOT NULL,
      outcome varchar(8) NOT NULL,
      scim_type varchar(32),
      detail varchar(512),
      changed_attributes text,
      members_added integer,
      members_removed integer,
      member_ids text,
      occurrences integer NOT NULL DEFAULT 1,
      aggregate_key varchar(128)
    )`);
    await q.query(`CREATE INDEX ix_audit_log_directory ON audit_log (directory_id, id)`);
    await q.query(`CREATE INDEX ix_audit_log_resource ON audit_log (directory_id, resource_type, resource_id, id)`);
    await q.query(`CREATE INDEX ix_audit_log_token ON audit_log (directory_id, token_id, id)`);
    await q.query(`CREATE INDEX ix_audit_log_time ON audit_log (time)`);
    await q.query(`CREATE UNIQUE INDEX uq_audit_log_aggregate_key ON audit_log (aggregate_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
  }
}
