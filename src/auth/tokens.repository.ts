import { Inject, Injectable } from '@nestjs/common';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { DEFAULT_SCOPE, ResourceScope } from '../database/scope/resource-scope.js';
import { SQL_READER, type SqlParam, type SqlReader } from '../database/sql-reader.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { ApiTokenEntity } from './api-token.js';

const TOKEN_COLUMNS =
  'id, name, prefix, secret_hash, scopes, created_at, expires_at, last_used_at, revoked_at, is_bootstrap, ' +
  'directory_id, server_wide, rate_limit_per_minute, user_id';
const TOKEN_VALUES = 'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  is_bootstrap: boolean | number;
  directory_id: number | string;
  server_wide: boolean | number;
  rate_limit_per_minute: number | string | null;
  user_id: string | null;
}

function toEntity(row: TokenRow): ApiTokenEntity {
  return Object.assign(new ApiTokenEntity(), {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    secretHash: row.secret_hash,
    scopes: row.scopes,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    // SQLite stores booleans as 0/1.
    isBootstrap: Boolean(row.is_bootstrap),
    directoryId: Number(row.directory_id),
    serverWide: Boolean(row.server_wide),
    rateLimitPerMinute: row.rate_limit_per_minute === null ? null : Number(row.rate_limit_per_minute),
    userId: row.user_id,
  });
}

const byHashSql = (s: ResourceScope): string =>
  `SELECT ${TOKEN_COLUMNS} FROM ${s.from('api_tokens')} WHERE ${s.where('api_tokens')} AND secret_hash = $1`;
const byIdSql = (s: ResourceScope): string =>
  `SELECT ${TOKEN_COLUMNS} FROM ${s.from('api_tokens')} WHERE ${s.where('api_tokens')} AND id = $1`;
const listSql = (s: ResourceScope): string =>
  `SELECT ${TOKEN_COLUMNS} FROM ${s.from('api_tokens')} WHERE ${s.where('api_tokens')} AND directory_id = $1
  ORDER BY created_at, id`;

/**
 * The only SQL for API tokens and server_state claims. Writes take the caller's unit of
 * work, so they run in the one write path; reads outside a transaction go through
 * the SqlReader, whose SQLite connection is not the writer's and so never sees (or joins)
 * another request's open transaction.
 */
@Injectable()
export class TokensRepository {
  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
  ) {}

  /** Tokens authenticate requests before any directory is known: they are looked up in the default scope. */
  async findByHash(secretHash: string, scope: ResourceScope = DEFAULT_SCOPE): Promise<ApiTokenEntity | null> {
    const rows = await this.reader.all<TokenRow>('token_by_hash', scope.statement(byHashSql), [secretHash]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async findById(id: string, scope: ResourceScope = DEFAULT_SCOPE): Promise<ApiTokenEntity | null> {
    const rows = await this.reader.all<TokenRow>('token_by_id', scope.statement(byIdSql), [id]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  /** The tokens of one directory (api_tokens.directory_id, kept explicitly: tokens are not resource rows). */
  async list(directoryId: number, scope: ResourceScope = DEFAULT_SCOPE): Promise<ApiTokenEntity[]> {
    const rows = await this.reader.all<TokenRow>('token_list', scope.statement(listSql), [directoryId]);
    return rows.map(toEntity);
  }

  /** The token as this transaction sees it, locked against concurrent revoke/rotate (PostgreSQL). */
  async findForUpdate(uow: UnitOfWork, id: string): Promise<ApiTokenEntity | null> {
    const rows = await uow.query<TokenRow>(`${uow.scope.statement(byIdSql)}${this.dialect.lock('update')}`, [id]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async findByHashIn(uow: UnitOfWork, secretHash: string): Promise<ApiTokenEntity | null> {
    const rows = await uow.query<TokenRow>(uow.scope.statement(byHashSql), [secretHash]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async count(uow: UnitOfWork): Promise<number> {
    const s = uow.scope;
    const [row] = await uow.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM ${s.from('api_tokens')} WHERE ${s.where('api_tokens')}`,
      [],
    );
    return Number(row?.n ?? 0);
  }

  async insert(uow: UnitOfWork, token: ApiTokenEntity): Promise<void> {
    await uow.query(`${uow.scope.insertInto('api_tokens', TOKEN_COLUMNS)} ${TOKEN_VALUES}`, this.values(token));
  }

  /**
   * Inserts unless a token with the same hash exists; false when it did. ON CONFLICT rather
   * than catching the violation: on PostgreSQL a failed statement aborts the whole transaction.
   */
  async insertIfAbsent(uow: UnitOfWork, token: ApiTokenEntity): Promise<boolean> {
    const rows = await uow.query(
      `${uow.scope.insertInto('api_tokens', TOKEN_COLUMNS)} ${TOKEN_VALUES}
      ${this.dialect.onConflictDoNothing('secret_hash')} RETURNING id`,
      this.values(token),
    );
    return rows.length > 0;
  }

  /** Revokes once; a second revoke keeps the first timestamp. */
  async revoke(uow: UnitOfWork, id: string, at: string): Promise<void> {
    const s = uow.scope;
    await uow.query(
      `${s.update('api_tokens')} revoked_at = $2 WHERE ${s.where('api_tokens')} AND id = $1 AND revoked_at IS NULL`,
      [id, at],
    );
  }

  async setExpiry(uow: UnitOfWork, id: string, expiresAt: string): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.update('api_tokens')} expires_at = $2 WHERE ${s.where('api_tokens')} AND id = $1`, [
      id,
      expiresAt,
    ]);
  }

  /** Writes lastUsedAt only when the stored value is older than `staleBefore` (or unset). */
  async touch(uow: UnitOfWork, id: string, at: string, staleBefore: string): Promise<void> {
    const s = uow.scope;
    await uow.query(
      `${s.update('api_tokens')} last_used_at = $2
      WHERE ${s.where('api_tokens')} AND id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`,
      [id, at, staleBefore],
    );
  }

  /** Deletes up to `limit` tokens of a directory being purged; the number deleted. */
  async deleteForDirectory(uow: UnitOfWork, directoryId: number, limit: number): Promise<number> {
    const s = uow.scope;
    const rows = await uow.query<{ id: string }>(
      `${s.deleteFrom('api_tokens')} WHERE ${s.where('api_tokens')} AND id IN (
        SELECT id FROM ${s.from('api_tokens')} WHERE ${s.where('api_tokens')} AND directory_id = $1 LIMIT $2
      ) RETURNING id`,
      [directoryId, limit],
    );
    return rows.length;
  }

  /** Whether `userId` names a user of directory `directoryId` (a token's /Me binding, checked at issue). */
  async userExists(uow: UnitOfWork, directoryId: number, userId: string): Promise<boolean> {
    const s = ResourceScope.of({ id: directoryId, slug: '', settings: {} });
    const rows = await uow.query(`SELECT 1 AS hit FROM ${s.from('users')} WHERE ${s.where('users')} AND id = $1`, [
      userId,
    ]);
    return rows.length > 0;
  }

  /**
   * Claims a one-time server fact. The primary key makes the claim atomic across
   * instances: exactly one caller gets true (a concurrent claimer waits for the winner's commit).
   */
  async claimOnce(uow: UnitOfWork, key: string, value: string): Promise<boolean> {
    const rows = await uow.query(
      `${uow.scope.insertInto('server_state', '"key", value')} VALUES ($1, $2)
      ${this.dialect.onConflictDoNothing('"key"')} RETURNING "key"`,
      [key, value],
    );
    return rows.length > 0;
  }

  private values(token: ApiTokenEntity): SqlParam[] {
    return [
      token.id,
      token.name,
      token.prefix,
      token.secretHash,
      token.scopes,
      token.createdAt,
      token.expiresAt,
      token.lastUsedAt,
      token.revokedAt,
      token.isBootstrap,
      token.directoryId,
      token.serverWide,
      token.rateLimitPerMinute,
      token.userId,
    ];
  }
}
