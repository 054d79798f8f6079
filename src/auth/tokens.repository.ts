import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_READER, type SqlParam, type SqlReader, type SqlRow } from '../database/sql-reader.js';
import type { SqlDialect } from '../database/sql/sql-fragment.js';
import { txQuery, type TxScope } from '../database/transaction.service.js';
import { ApiTokenEntity } from './api-token.js';

const TOKEN_COLUMNS = 'id, name, prefix, secret_hash, scopes, created_at, expires_at, last_used_at, revoked_at, is_bootstrap';

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
  });
}

/**
 * The only SQL for API tokens and server_state claims. Writes take the caller's TxScope,
 * so they run in TransactionService's one write path; reads outside a transaction go through
 * the SqlReader, whose SQLite connection is not the writer's and so never sees (or joins)
 * another request's open transaction.
 */
@Injectable()
export class TokensRepository {
  private readonly dialect: SqlDialect;

  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.dialect = config.database.type;
  }

  async findByHash(secretHash: string): Promise<ApiTokenEntity | null> {
    const rows = await this.reader.all<TokenRow>('token_by_hash',
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE secret_hash = $1`, [secretHash]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async findById(id: string): Promise<ApiTokenEntity | null> {
    const rows = await this.reader.all<TokenRow>('token_by_id', `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async list(): Promise<ApiTokenEntity[]> {
    const rows = await this.reader.all<TokenRow>('token_list',
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at, id`, []);
    return rows.map(toEntity);
  }

  /** The token as this transaction sees it, locked against concurrent revoke/rotate (PostgreSQL). */
  async findForUpdate(tx: TxScope, id: string): Promise<ApiTokenEntity | null> {
    const lock = this.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await this.exec<TokenRow>(tx, `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = $1${lock}`, [id]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async findByHashIn(tx: TxScope, secretHash: string): Promise<ApiTokenEntity | null> {
    const rows = await this.exec<TokenRow>(tx, `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE secret_hash = $1`, [secretHash]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async count(tx: TxScope): Promise<number> {
    const [row] = await this.exec<{ n: number | string }>(tx, 'SELECT COUNT(*) AS n FROM api_tokens', []);
    return Number(row?.n ?? 0);
  }

  async insert(tx: TxScope, token: ApiTokenEntity): Promise<void> {
    await this.exec(tx, `INSERT INTO api_tokens (${TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      this.values(token));
  }

  /**
   * Inserts unless a token with the same hash exists; false when it did. ON CONFLICT rather
   * than catching the violation: on PostgreSQL a failed statement aborts the whole transaction.
   */
  async insertIfAbsent(tx: TxScope, token: ApiTokenEntity): Promise<boolean> {
    const rows = await this.exec(tx, `INSERT INTO api_tokens (${TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (secret_hash) DO NOTHING RETURNING id`, this.values(token));
    return rows.length > 0;
  }

  /** Revokes once; a second revoke keeps the first timestamp. */
  async revoke(tx: TxScope, id: string, at: string): Promise<void> {
    await this.exec(tx, 'UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, at]);
  }

  async setExpiry(tx: TxScope, id: string, expiresAt: string): Promise<void> {
    await this.exec(tx, 'UPDATE api_tokens SET expires_at = $2 WHERE id = $1', [id, expiresAt]);
  }

  /** Writes lastUsedAt only when the stored value is older than `staleBefore` (or unset). */
  async touch(tx: TxScope, id: string, at: string, staleBefore: string): Promise<void> {
    await this.exec(tx, `UPDATE api_tokens SET last_used_at = $2
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`, [id, at, staleBefore]);
  }

  /**
   * Claims a one-time server fact. The primary key makes the claim atomic across
   * instances: exactly one caller gets true (a concurrent claimer waits for the winner's commit).
   */
  async claimOnce(tx: TxScope, key: string, value: string): Promise<boolean> {
    const rows = await this.exec(tx, `INSERT INTO server_state ("key", value) VALUES ($1, $2)
      ON CONFLICT ("key") DO NOTHING RETURNING "key"`, [key, value]);
    return rows.length > 0;
  }

  private values(token: ApiTokenEntity): SqlParam[] {
    return [
      token.id, token.name, token.prefix, token.secretHash, token.scopes, token.createdAt,
      token.expiresAt, token.lastUsedAt, token.revokedAt, token.isBootstrap,
    ];
  }

  private exec<T extends object = SqlRow>(tx: TxScope, sql: string, params: readonly SqlParam[]): Promise<T[]> {
    return txQuery<T>(tx, this.dialect, sql, params);
  }
}
