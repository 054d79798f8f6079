var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull } from 'typeorm';
import { ServerStateEntity } from '../database/server-state.entity.js';
import { isUniqueViolation } from '../database/transaction.service.js';
import { ApiTokenEntity } from './entities/api-token.entity.js';
/** The only TypeORM code for API tokens. */
let TokensRepository = class TokensRepository {
    dataSource;
    constructor(dataSource) {
        this.dataSource = dataSource;
    }
    get tokens() {
        return this.dataSource.getRepository(ApiTokenEntity);
    }
    findByHash(secretHash) {
        return this.tokens.findOneBy({ secretHash });
    }
    findById(id) {
        return this.tokens.findOneBy({ id });
    }
    list() {
        return this.tokens.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    }
    /** Inserts unless a token with the same hash exists; false when it did. */
    async insertIfAbsent(token) {
        try {
            await this.tokens.insert(token);
            return true;
        }
        catch (error) {
            if (isUniqueViolation(error))
                return false;
            throw error;
        }
    }
    async insert(token) {
        await this.tokens.insert(token);
    }
    /** Revokes once; a second revoke keeps the first timestamp. */
    async revoke(id, at) {
        await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    }
    async setExpiry(id, expiresAt) {
        await this.tokens.update({ id }, { expiresAt });
    }
    /** Writes lastUsedAt only when the stored value is older than `staleBefore` (or unset). */
    async touch(id, at, staleBefore) {
        await this.tokens
            .createQueryBuilder()
            .update(ApiTokenEntity)
            .set({ lastUsedAt: at })
            .where('id = :id', { id })
            .andWhere('(last_used_at IS NULL OR last_used_at < :staleBefore)', { staleBefore })
            .execute();
    }
    count() {
        return this.tokens.count();
    }
    /**
     * Claims a one-time server fact. The primary key makes the claim atomic across
     * instances: exactly one caller gets true.
     */
    async claimOnce(key, value) {
        try {
            await this.dataSource.getRepository(ServerStateEntity).insert({ key, value });
            return true;
        }
        catch (error) {
            if (isUniqueViolation(error))
                return false;
            throw error;
        }
    }
};
TokensRepository = __decorate([
    Injectable(),
    __param(0, InjectDataSource()),
    __metadata("design:paramtypes", [Function])
], TokensRepository);
export { TokensRepository };
//# sourceMappingURL=tokens.repository.js.map