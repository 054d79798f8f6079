import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { ApiTokenEntity } from './entities/api-token.entity.js';
import { toTokenView, tokenStatus, type TokenView } from './token.mapper.js';
import { displayPrefix, generateSecret, hashesEqual, hashSecret, parseScopes, type Scope } from './token-secret.js';
import { TokensRepository } from './tokens.repository.js';

export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
}

export interface IssueRequest {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt?: Date;
}

export interface IssuedToken {
  readonly token: TokenView;
  /** Shown once, in this response only. */
  readonly secret: string;
}

const LAST_USED_INTERVAL_MS = 60_000;
const CACHE_MAX_ENTRIES = 1000;

interface CacheEntry {
  readonly token: ApiTokenEntity | null;
  readonly loadedAt: number;
}

/**
 * Issues and verifies API tokens. Verification results are cached for at most
 * TOKEN_CACHE_TTL_MS (5 s at most, enforced by config), which bounds how long a
 * token revoked on another instance can still be used here.
 */
@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly repository: TokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(secret: string): Promise<Principal | null> {
    const hash = hashSecret(secret);
    const token = await this.lookup(hash);
    if (!token || !hashesEqual(token.secretHash, hash)) return null;
    if (tokenStatus(token, new Date()) !== 'active') return null;
    this.touch(token.id);
    return { tokenId: token.id, name: token.name, scopes: new Set(parseScopes(token.scopes)) };
  }

  async issue(request: IssueRequest, secret = generateSecret(), bootstrap = false): Promise<IssuedToken> {
    const entity = this.newEntity(request, secret, bootstrap);
    await this.repository.insert(entity);
    return { token: toTokenView(entity), secret };
  }

  /** For SCIM_BOOTSTRAP_TOKEN: creates the token unless one with that secret exists. */
  async ensure(request: IssueRequest, secret: string): Promise<'created' | 'exists' | 'revoked'> {
    const existing = await this.repository.findByHash(hashSecret(secret));
    if (existing) return existing.revokedAt ? 'revoked' : 'exists';
    const inserted = await this.repository.insertIfAbsent(this.newEntity(request, secret, true));
    return inserted ? 'created' : 'exists';
  }

  async list(): Promise<TokenView[]> {
    const now = new Date();
    return (await this.repository.list()).map((t) => toTokenView(t, now));
  }

  async get(id: string): Promise<TokenView> {
    return toTokenView(await this.findOrFail(id));
  }

  async revoke(id: string): Promise<TokenView> {
    await this.findOrFail(id);
    await this.repository.revoke(id, new Date().toISOString());
    this.cache.clear();
    return this.get(id);
  }

  /**
   * Issues a successor with the same name, scopes and lifetime. The old token stays
   * valid for `graceSeconds` (so the IdP can be updated without downtime), then expires.
   */
  async rotate(id: string, graceSeconds: number): Promise<IssuedToken> {
    const old = await this.findOrFail(id);
    if (old.revokedAt) throw ScimException.conflict(`Token ${id} is revoked and cannot be rotated`);
    const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : undefined;
    const issued = await this.issue({
      name: old.name,
      scopes: parseScopes(old.scopes),
      ...(lifetime !== undefined ? { expiresAt: new Date(Date.now() + lifetime) } : {}),
    });
    if (graceSeconds > 0) {
      const end = new Date(Date.now() + graceSeconds * 1000).toISOString();
      if (!old.expiresAt || old.expiresAt > end) await this.repository.setExpiry(id, end);
    } else {
      await this.repository.revoke(id, new Date().toISOString());
    }
    this.cache.clear();
    return issued;
  }

  countTokens(): Promise<number> {
    return this.repository.count();
  }

  claimOnce(key: string): Promise<boolean> {
    return this.repository.claimOnce(key, new Date().toISOString());
  }

  private newEntity(request: IssueRequest, secret: string, bootstrap: boolean): ApiTokenEntity {
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

  private async findOrFail(id: string): Promise<ApiTokenEntity> {
    const token = await this.repository.findById(id);
    if (!token) throw ScimException.notFound('Token', id);
    return token;
  }

  private async lookup(hash: string): Promise<ApiTokenEntity | null> {
    const ttl = this.config.tokenCacheTtlMs;
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && now - cached.loadedAt < ttl) return cached.token;
    const token = await this.repository.findByHash(hash);
    // Misses are not cached: a token issued on another instance works at once.
    if (token && ttl > 0) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(hash, { token, loadedAt: now });
    }
    return token;
  }

  /** lastUsedAt is written at most once a minute per token, off the request path. */
  private touch(id: string): void {
    const now = Date.now();
    const last = this.lastTouched.get(id) ?? 0;
    if (now - last < LAST_USED_INTERVAL_MS) return;
    this.lastTouched.set(id, now);
    const staleBefore = new Date(now - LAST_USED_INTERVAL_MS).toISOString();
    this.repository.touch(id, new Date(now).toISOString(), staleBefore).catch((error: unknown) => {
      this.logger.warn(`could not record lastUsedAt for token ${id}: ${String(error)}`);
    });
  }
}
