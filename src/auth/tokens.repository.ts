import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource } from 'typeorm';
import { ServerStateEntity } from '../database/server-state.entity.js';
import { isUniqueViolation } from '../database/transaction.service.js';
import { ApiTokenEntity } from './entities/api-token.entity.js';

/** The only TypeORM code for API tokens. */
@Injectable()
export class TokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get tokens() {
    return this.dataSource.getRepository(ApiTokenEntity);
  }

  findByHash(secretHash: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ secretHash });
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ id });
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Inserts unless a token with the same hash exists; false when it did. */
  async insertIfAbsent(token: ApiTokenEntity): Promise<boolean> {
    try {
      await this.tokens.insert(token);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async insert(token: ApiTokenEntity): Promise<void> {
    await this.tokens.insert(token);
  }

  /** Revokes once; a second revoke keeps the first timestamp. */
  async revoke(id: string, at: string): Promise<void> {
    await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }

  async setExpiry(id: string, expiresAt: string): Promise<void> {
    await this.tokens.update({ id }, { expiresAt });
  }

  /** Writes lastUsedAt only when the stored value is older than `staleBefore` (or unset). */
  async touch(id: string, at: string, staleBefore: string): Promise<void> {
    await this.tokens
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ lastUsedAt: at })
      .where('id = :id', { id })
      .andWhere('(last_used_at IS NULL OR last_used_at < :staleBefore)', { staleBefore })
      .execute();
  }

  count(): Promise<number> {
    return this.tokens.count();
  }

  /**
   * Claims a one-time server fact. The primary key makes the claim atomic across
   * instances: exactly one caller gets true.
   */
  async claimOnce(key: string, value: string): Promise<boolean> {
    try {
      await this.dataSource.getRepository(ServerStateEntity).insert({ key, value });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
