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
var TokensService_1;
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { ApiTokenEntity } from './entities/api-token.entity.js';
import { toTokenView, tokenStatus } from './token.mapper.js';
import { displayPrefix, generateSecret, hashesEqual, hashSecret, parseScopes } from './token-secret.js';
import { TokensRepository } from './tokens.repository.js';
const LAST_USED_INTERVAL_MS = 60_000;
const CACHE_MAX_ENTRIES = 1000;
/**
 * Issues and verifies API tokens. Verification results are cached for at most
 * TOKEN_CACHE_TTL_MS (5 s at most, enforced by config), which bounds how long a
 * token revoked on another instance can still be used here.
 */
let TokensService = TokensService_1 = class TokensService {
    repository;
    config;
    logger = new Logger(TokensService_1.name);
    cache = new Map();
    lastTouched = new Map();
    constructor(repository, config) {
        this.repository = repository;
        this.config = config;
    }
    async verify(secret) {
        const hash = hashSecret(secret);
        const token = await this.lookup(hash);
        if (!token || !hashesEqual(token.secretHash, hash))
            return null;
        if (tokenStatus(token, new Date()) !== 'active')
            return null;
        this.touch(token.id);
        return { tokenId: token.id, name: token.name, scopes: new Set(parseScopes(token.scopes)) };
    }
    async issue(request, secret = generateSecret(), bootstrap = false) {
        const entity = this.newEntity(request, secret, bootstrap);
        await this.repository.insert(entity);
        return { token: toTokenView(entity), secret };
    }
    /** For SCIM_BOOTSTRAP_TOKEN: creates the token unless one with that secret exists. */
    async ensure(request, secret) {
        const existing = await this.repository.findByHash(hashSecret(secret));
        if (existing)
            return existing.revokedAt ? 'revoked' : 'exists';
        const inserted = await this.repository.insertIfAbsent(this.newEntity(request, secret, true));
        return inserted ? 'created' : 'exists';
    }
    async list() {
        const now = new Date();
        return (await this.repository.list()).map((t) => toTokenView(t, now));
    }
    async get(id) {
        return toTokenView(await this.findOrFail(id));
    }
    async revoke(id) {
        await this.findOrFail(id);
        await this.repository.revoke(id, new Date().toISOString());
        this.cache.clear();
        return this.get(id);
    }
    /**
     * Issues a successor with the same name, scopes and lifetime. The old token stays
     * valid for `graceSeconds` (so the IdP can be updated without downtime), then expires.
     */
    async rotate(id, graceSeconds) {
        const old = await this.findOrFail(id);
        if (old.revokedAt)
            throw ScimException.conflict(`Token ${id} is revoked and cannot be rotated`);
        const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : undefined;
        const issued = await this.issue({
            name: old.name,
            scopes: parseScopes(old.scopes),
            ...(lifetime !== undefined ? { expiresAt: new Date(Date.now() + lifetime) } : {}),
        });
        if (graceSeconds > 0) {
            const end = new Date(Date.now() + graceSeconds * 1000).toISOString();
            if (!old.expiresAt || old.expiresAt > end)
                await this.repository.setExpiry(id, end);
        }
        else {
            await this.repository.revoke(id, new Date().toISOString());
        }
        this.cache.clear();
        return issued;
    }
    countTokens() {
        return this.repository.count();
    }
    claimOnce(key) {
        return this.repository.claimOnce(key, new Date().toISOString());
    }
    newEntity(request, secret, bootstrap) {
        return Object.assign(new ApiTokenEntity(), {
            id: randomUUID(),
            name: request.name,
            prefix: displayPrefix(secret),
            secretHash: hashSecret(secret),
            scopes: [...new Set(request.scopes)].join(','),
            createdAt: new Date().toISOString(),
            expiresAt: request.expiresAt ? request.expiresAt.toISOString() : null,
            lastUsedAt: null,
            revokedAt: null,
            isBootstrap: bootstrap,
        });
    }
    async findOrFail(id) {
        const token = await this.repository.findById(id);
        if (!token)
            throw ScimException.notFound('Token', id);
        return token;
    }
    async lookup(hash) {
        const ttl = this.config.tokenCacheTtlMs;
        const now = Date.now();
        const cached = this.cache.get(hash);
        if (cached && now - cached.loadedAt < ttl)
            return cached.token;
        const token = await this.repository.findByHash(hash);
        // Misses are not cached: a token issued on another instance works at once.
        if (token && ttl > 0) {
            if (this.cache.size >= CACHE_MAX_ENTRIES)
                this.cache.delete(this.cache.keys().next().value);
            this.cache.set(hash, { token, loadedAt: now });
        }
        return token;
    }
    /** lastUsedAt is written at most once a minute per token, off the request path. */
    touch(id) {
        const now = Date.now();
        const last = this.lastTouched.get(id) ?? 0;
        if (now - last < LAST_USED_INTERVAL_MS)
            return;
        this.lastTouched.set(id, now);
        const staleBefore = new Date(now - LAST_USED_INTERVAL_MS).toISOString();
        this.repository.touch(id, new Date(now).toISOString(), staleBefore).catch((error) => {
            this.logger.warn(`could not record lastUsedAt for token ${id}: ${String(error)}`);
        });
    }
};
TokensService = TokensService_1 = __decorate([
    Injectable(),
    __param(1, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [TokensRepository, Object])
], TokensService);
export { TokensService };
//# sourceMappingURL=tokens.service.js.map