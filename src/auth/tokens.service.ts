import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TransactionService, type TxScope } from '../database/transaction.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { ApiTokenEntity } from './api-token.js';
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
 * token revoked on another instance can still be used here. Every write runs in
 * TransactionService (on SQLite its queue is the only way onto the writer's connection,
 * so a write never lands inside another request's transaction and is rolled back with it).
 */
@Injectable()
export class TokensService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TokensService.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastTouched = new Map<string, number>();
  private readonly touches = new Set<Promise<void>>();

  constructor(
    private readonly repository: TokensRepository,
    private readonly tx: TransactionService,
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
    await this.tx.run((tx) => this.repository.insert(tx, entity));
    return { token: toTokenView(entity), secret };
  }

  /** For SCIM_BOOTSTRAP_TOKEN: creates the token unless one with that secret exists. */
  ensure(request: IssueRequest, secret: string): Promise<'created' | 'exists' | 'revoked'> {
    return this.tx.run(async (tx) => {
      const existing = await this.repository.findByHashIn(tx, hashSecret(secret));
      if (existing) return existing.revokedAt ? 'revoked' : 'exists';
      const inserted = await this.repository.insertIfAbsent(tx, this.newEntity(request, secret, true));
      return inserted ? 'created' : 'exists';
    });
  }

  /**
   * Issues the first admin token of an empty token table, once across instances: the
   * server_state claim and the token commit together, so a failed issue leaves no claim.
   */
  issueFirst(claimKey: string, request: IssueRequest): Promise<IssuedToken | null> {
    return this.tx.run(async (tx) => {
      if ((await this.repository.count(tx)) > 0) return null;
      if (!(await this.repository.claimOnce(tx, claimKey, new Date().toISOString()))) return null;
      const secret = generateSecret();
      const entity = this.newEntity(request, secret, false);
      await this.repository.insert(tx, entity);
      return { token: toTokenView(entity), secret };
    });
  }

  async list(): Promise<TokenView[]> {
    const now = new Date();
    return (await this.repository.list()).map((t) => toTokenView(t, now));
  }

  async get(id: string): Promise<TokenView> {
    return toTokenView(await this.findOrFail(id));
  }

  async revoke(id: string): Promise<TokenView> {
    const revoked = await this.tx.run(async (tx) => {
      const current = await this.lockOrFail(tx, id);
      const at = new Date().toISOString();
      await this.repository.revoke(tx, id, at);
      return { ...current, revokedAt: current.revokedAt ?? at };
    });
    this.cache.clear();
    return toTokenView(revoked);
  }

  /**
   * Issues a successor with the same name, scopes and lifetime. The old token stays
   * valid for `graceSeconds` (so the IdP can be updated without downtime), then expires.
   */
  async rotate(id: string, graceSeconds: number): Promise<IssuedToken> {
    const secret = generateSecret();
    const issued = await this.tx.run(async (tx) => {
      const old = await this.lockOrFail(tx, id);
      if (old.revokedAt) throw ScimException.conflict(`Token ${id} is revoked and cannot be rotated`);
      const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : undefined;
      const successor = this.newEntity({
        name: old.name,
        scopes: parseScopes(old.scopes),
        ...(lifetime !== undefined ? { expiresAt: new Date(Date.now() + lifetime) } : {}),
      }, secret, false);
      await this.repository.insert(tx, successor);
      if (graceSeconds > 0) {
        const end = new Date(Date.now() + graceSeconds * 1000).toISOString();
        if (!old.expiresAt || old.expiresAt > end) await this.repository.setExpiry(tx, id, end);
      } else {
        await this.repository.revoke(tx, id, new Date().toISOString());
      }
      return { token: toTokenView(successor), secret };
    });
    this.cache.clear();
    return issued;
  }

  /** Settles once the lastUsedAt writes already started have finished. */
  async whenTouchesSettled(): Promise<void> {
    await Promise.allSettled([...this.touches]);
  }

  /** lastUsedAt writes still queued finish before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.whenTouchesSettled();
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

  private async lockOrFail(tx: TxScope, id: string): Promise<ApiTokenEntity> {
    const token = await this.repository.findForUpdate(tx, id);
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

  /**
   * lastUsedAt is written at most once a minute per token, off the request path: queued
   * in the write path like any write, never awaited by the request.
   */
  private touch(id: string): void {
    const now = Date.now();
    const last = this.lastTouched.get(id) ?? 0;
    if (now - last < LAST_USED_INTERVAL_MS) return;
    this.lastTouched.set(id, now);
    const staleBefore = new Date(now - LAST_USED_INTERVAL_MS).toISOString();
    const write = this.tx
      .run((tx) => this.repository.touch(tx, id, new Date(now).toISOString(), staleBefore))
      .catch((error: unknown) => {
        this.logger.warn(`could not record lastUsedAt for token ${id}: ${String(error)}`);
      })
      .finally(() => this.touches.delete(write));
    this.touches.add(write);
  }
}
