/**
 * Users, groups, memberships, API tokens and shared server state. The SQL is
 * written once in the subset that SQLite and PostgreSQL both accept, so the same
 * migration builds the same schema on both.
 */
export class CreateCoreTables1763800000000 {
    name = 'CreateCoreTables1763800000000';
    async up(q) {
        await q.query(`CREATE TABLE users (
      id varchar(36) PRIMARY KEY NOT NULL,
      user_name text NOT NULL,
      user_name_key text NOT NULL,
      external_id text,
      display_name text,
      display_name_key text,
      active boolean,
      created varchar(24) NOT NULL,
      last_modified varchar(24) NOT NULL,
      version integer NOT NULL,
      doc text NOT NULL,
      password_hash text
    )`);
        await q.query(`CREATE UNIQUE INDEX uq_users_user_name_key ON users (user_name_key)`);
        await q.query(`CREATE INDEX ix_users_external_id ON users (external_id)`);
        await q.query(`CREATE INDEX ix_users_display_name_key ON users (display_name_key)`);
        await q.query(`CREATE INDEX ix_users_last_modified ON users (last_modified)`);
        await q.query(`CREATE TABLE groups (
      id varchar(36) PRIMARY KEY NOT NULL,
      display_name text NOT NULL,
      display_name_key text NOT NULL,
      external_id text,
      created varchar(24) NOT NULL,
      last_modified varchar(24) NOT NULL,
      version integer NOT NULL,
      doc text NOT NULL
    )`);
        await q.query(`CREATE INDEX ix_groups_display_name_key ON groups (display_name_key)`);
        await q.query(`CREATE INDEX ix_groups_external_id ON groups (external_id)`);
        await q.query(`CREATE INDEX ix_groups_last_modified ON groups (last_modified)`);
        await q.query(`CREATE TABLE group_members (
      group_id varchar(36) NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      member_id varchar(36) NOT NULL,
      member_type varchar(5) NOT NULL,
      PRIMARY KEY (group_id, member_id)
    )`);
        await q.query(`CREATE INDEX ix_group_members_member_id ON group_members (member_id)`);
        await q.query(`CREATE TABLE api_tokens (
      id varchar(36) PRIMARY KEY NOT NULL,
      name text NOT NULL,
      prefix varchar(32) NOT NULL,
      secret_hash varchar(64) NOT NULL,
      scopes text NOT NULL,
      created_at varchar(24) NOT NULL,
      expires_at varchar(24),
      last_used_at varchar(24),
      revoked_at varchar(24),
      is_bootstrap boolean NOT NULL
    )`);
        await q.query(`CREATE UNIQUE INDEX uq_api_tokens_secret_hash ON api_tokens (secret_hash)`);
        await q.query(`CREATE TABLE server_state (
      key varchar(64) PRIMARY KEY NOT NULL,
      value text NOT NULL
    )`);
    }
    async down(q) {
        for (const table of ['server_state', 'api_tokens', 'group_members', 'groups', 'users']) {
            await q.query(`DROP TABLE ${table}`);
        }
    }
}
//# sourceMappingURL=1763800000000-create-core-tables.js.map