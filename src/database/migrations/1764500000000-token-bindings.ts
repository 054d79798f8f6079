import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two per-token bindings on api_tokens, both nullable so existing tokens keep their meaning:
 *
 * - `rate_limit_per_minute`: the token's own request budget; NULL follows RATE_LIMIT_PER_MINUTE,
 *   0 switches the limit off for this token.
 * - `user_id`: the user of the token's directory that `/Me` names (RFC 7644 §3.11); a token
 *   bound to a user serves only `/Me`. No foreign key: the user may be deleted, and then
 *   `/Me` is 404 like any deleted resource (RFC 7644 §3.6).
 */
export class TokenBindings1764500000000 implements MigrationInterface {
  name = 'TokenBindings1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens ADD COLUMN rate_limit_per_minute integer');
    await q.query('ALTER TABLE api_tokens ADD COLUMN user_id varchar(36)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens DROP COLUMN user_id');
    await q.query('ALTER TABLE api_tokens DROP COLUMN rate_limit_per_minute');
  }
}
