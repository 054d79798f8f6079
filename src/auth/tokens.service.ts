import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import {
  DEFAULT_DIRECTORY,
  systemContext,
  type RequestPrincipal,
  type WorkContext,
} from '../common/http/scim-context.js';
import type { Mutation, UnitOfWork } from '../database/unit-of-work.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { ApiTokenEntity } from './api-token.js';
import { toTokenView, tokenStatus, type TokenView } from './token.mapper.js';
import { displayPrefix, generateSecret, hashesEqual, hashSecret, parseScopes, type Scope } from './token-secret.js';
import { TokensRepository } from './tokens.repository.js';

/** A verified token, as the request's principal (ScimContext.principal takes it as it is). */
export interface Principal extends RequestPrincipal {
  readonly kind: 'token';
  readonly tokenId: string;
  readonly scopes: ReadonlySet<Scope>;
  /** The directory the token belongs to. */
  readonly directoryId: number;
  /** An `admin` token over every directory. */
  readonly serverWide: boolean;
  /** The token's own requests per minute; null follows RATE_LIMIT_PER_MINUTE, 0 is unlimited. */
  readonly rateLimitPerMinute: number | null;
  /** The user `/Me` names; a token bound to one serves only `/Me` (RFC 7644 §3.11). */
  readonly userId: string | null;
}

export interface IssueRequest {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt?: Date;
  /** The directory the token belongs to; the default directory when absent. */
  readonly directoryId?: number;
  /** Only for a token with the `admin` scope: it manages every directory. */
  readonly serverWide?: boolean;
  /** Requests per minute; absent follows RATE_LIMIT_PER_MINUTE, 0 is unlimited. */
  readonly rateLimitPerMinute?: number;
  /** Binds the token to this user of its directory (`/Me`); 400 unless the user exists there. */
  readonly userId?: string;
}

export interface IssuedToken {
  readonly token: TokenView;
  /** Shown once, in this response only. */
  readonly secret: string;
}

/** A token change as its unit of work records it: named, and in the token's directory. */
function tokenMutation(operation: Mutation['operation'], token: ApiTokenEntity): Mutation {
  return {
    operation,
    resourceType: 'Token',
    resourceId: token.id,
    resourceName: token.name,
    directoryId: token.directoryId,
  };
}

const LAST_USED_INTERVAL_MS = 60_000;
// Start-up, bootstrap, the CLI and background writes act as the server itself.
const SYSTEM = systemContext();
const CACHE_MAX_ENTRIES = 1000;

interface CacheEntry {
  readonly token: ApiTokenEntity | null;
  readonly loadedAt: number;
}

/**
 * Issues and verifies API tokens. Verification results are cached for at most
 * TOKEN_CACHE_TTL_MS (5 s at most, enforced by config), which bounds how long a
 * token revoked on another instance can still be used here. Every write is a unit of work
 * (UnitOfWorkService: on SQLite its queue is the only way onto the writer's connection,
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
    private readonly units: UnitOfWorkService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(secret: string): Promise<Principal | null> {
    const hash = hashSecret(secret);
    const token = await this.lookup(hash);
    if (!token || !hashesEqual(token.secretHash, hash)) return null;
    if (tokenStatus(token, new Date()) !== 'active') return null;
    this.touch(token.id);
    return {
      kind: 'token',
      tokenId: token.id,
      tokenName: token.name,
      scopes: new Set(parseScopes(token.scopes)),
      directoryId: token.directoryId,
      serverWide: token.serverWide,
      rateLimitPerMinute: token.rateLimitPerMinute,
      userId: token.userId,
    };
  }

  async issue(
    request: IssueRequest,
    ctx: WorkContext = SYSTEM,
    secret = generateSecret(),
    bootstrap = false,
  ): Promise<IssuedToken> {
    const entity = this.newEntity(request, secret, bootstrap);
    await this.units.run(ctx, async (uow) => {
      await this.checkUserBinding(uow, entity);
      await this.repository.insert(uow, entity);
      await uow.record(tokenMutation('issue', entity));
    });
    return { token: toTokenView(entity), secret };
  }

  /** For SCIM_BOOTSTRAP_TOKEN: creates the token unless one with that secret exists. */
  ensure(request: IssueRequest, secret: string, ctx: WorkContext = SYSTEM): Promise<'created' | 'exists' | 'revoked'> {
    return this.units.run(ctx, async (uow) => {
      const existing = await this.repository.findByHashIn(uow, hashSecret(secret));
      if (existing) return existing.revokedAt ? 'revoked' : 'exists';
      const entity = this.newEntity(request, secret, true);
      if (!(await this.repository.insertIfAbsent(uow, entity))) return 'exists';
      await uow.record(tokenMutation('issue', entity));
      return 'created';
    });
  }

  /**
   * Issues the first admin token of an empty token table, once across instances: the
   * server_state claim and the token commit together, so a failed issue leaves no claim.
   */
  issueFirst(claimKey: string, request: IssueRequest, ctx: WorkContext = SYSTEM): Promise<IssuedToken | null> {
    return this.units.run(ctx, async (uow) => {
      if ((await this.repository.count(uow)) > 0) return null;
      if (!(await this.repository.claimOnce(uow, claimKey, new Date().toISOString()))) return null;
      await uow.record({ operation: 'claim', resourceType: 'ServerState', resourceId: claimKey });
      const secret = generateSecret();
      const entity = this.newEntity(request, secret, false);
      await this.repository.insert(uow, entity);
      await uow.record(tokenMutation('issue', entity));
      return { token: toTokenView(entity), secret };
    });
  }

  /** The tokens of one directory (the default one unless named). */
  async list(directoryId = DEFAULT_DIRECTORY.id): Promise<TokenView[]> {
    const now = new Date();
    return (await this.repository.list(directoryId)).map((t) => toTokenView(t, now));
  }

  /** A token of `directoryId`; one of another directory is 404, as if it did not exist. */
  async get(id: string, directoryId = DEFAULT_DIRECTORY.id): Promise<TokenView> {
    return toTokenView(await this.findOrFail(id, directoryId));
  }

  async revoke(id: string, ctx: WorkContext = SYSTEM, directoryId = DEFAULT_DIRECTORY.id): Promise<TokenView> {
    const revoked = await this.units.run(ctx, async (uow) => {
      const current = await this.lockOrFail(uow, id, directoryId);
      const at = new Date().toISOString();
      await this.repository.revoke(uow, id, at);
      await uow.record(tokenMutation('revoke', current));
      return { ...current, revokedAt: current.revokedAt ?? at };
    });
    this.cache.clear();
    return toTokenView(revoked);
  }

  /**
   * Issues a successor with the same name, scopes, lifetime, directory, server-wide
   * binding, rate limit and /Me user. The old token stays valid for `graceSeconds` (so the IdP can be updated
   * without downtime), then expires.
   */
  async rotate(
    id: string,
    graceSeconds: number,
    ctx: WorkContext = SYSTEM,
    directoryId = DEFAULT_DIRECTORY.id,
  ): Promise<IssuedToken> {
    const secret = generateSecret();
    const issued = await this.units.run(ctx, async (uow) => {
      const old = await this.lockOrFail(uow, id, directoryId);
      if (old.revokedAt) throw ScimException.conflict(`Token ${id} is revoked and cannot be rotated`);
      const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : undefined;
      const successor = this.newEntity(
        {
          name: old.name,
          scopes: parseScopes(old.scopes),
          ...(lifetime !== undefined ? { expiresAt: new Date(Date.now() + lifetime) } : {}),
          directoryId: old.directoryId,
          serverWide: old.serverWide,
          ...(old.rateLimitPerMinute !== null ? { rateLimitPerMinute: old.rateLimitPerMinute } : {}),
          ...(old.userId !== null ? { userId: old.userId } : {}),
        },
        secret,
        false,
      );
      await this.repository.insert(uow, successor);
      await uow.record(tokenMutation('rotate', successor));
      await this.endRotated(uow, old, graceSeconds);
      return { token: toTokenView(successor), secret };
    });
    this.cache.clear();
    return issued;
  }

  /**
   * Deletes the tokens of a directory being purged, `batch` at a time, each batch its own
   * unit of work; the number deleted. They stop authenticating at once on this instance.
   */
  async purgeDirectory(directoryId: number, batch: number, ctx: WorkContext = SYSTEM): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.units.run(ctx, (uow) => this.repository.deleteForDirectory(uow, directoryId, batch));
      total += deleted;
      if (deleted < batch) break;
    }
    this.cache.clear();
    return total;
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
      directoryId: request.directoryId ?? DEFAULT_DIRECTORY.id,
      serverWide: request.serverWide === true && request.scopes.includes('admin'),
      rateLimitPerMinute: request.rateLimitPerMinute ?? null,
      userId: request.userId ?? null,
    });
  }

  /** RFC 7644 §3.11: `/Me` names a user of the token's own directory; any other id is refused at issue. */
  private async checkUserBinding(uow: UnitOfWork, entity: ApiTokenEntity): Promise<void> {
    if (entity.userId === null) return;
    if (entity.scopes !== 'scim') {
      throw ScimException.invalidValue("A token bound to a user (userId) serves only /Me: its one scope is 'scim'");
    }
    if (!(await this.repository.userExists(uow, entity.directoryId, entity.userId))) {
      throw ScimException.invalidValue(`userId ${entity.userId} names no user of the token's directory`);
    }
  }

  private async findOrFail(id: string, directoryId: number): Promise<ApiTokenEntity> {
    const token = await this.repository.findById(id);
    if (!token || token.directoryId !== directoryId) throw ScimException.notFound('Token', id);
    return token;
  }

  /** A rotated token expires after the grace period (never later than it would have), or is revoked at once. */
  private async endRotated(uow: UnitOfWork, old: ApiTokenEntity, graceSeconds: number): Promise<void> {
    if (graceSeconds > 0) {
      const end = new Date(Date.now() + graceSeconds * 1000).toISOString();
      if (old.expiresAt && old.expiresAt <= end) return;
      await this.repository.setExpiry(uow, old.id, end);
      await uow.record(tokenMutation('expire', old));
      return;
    }
    await this.repository.revoke(uow, old.id, new Date().toISOString());
    await uow.record(tokenMutation('revoke', old));
  }

  private async lockOrFail(uow: UnitOfWork, id: string, directoryId: number): Promise<ApiTokenEntity> {
    const token = await this.repository.findForUpdate(uow, id);
    if (!token || token.directoryId !== directoryId) throw ScimException.notFound('Token', id);
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
    const write = this.units
      .run(SYSTEM, (uow) => this.repository.touch(uow, id, new Date(now).toISOString(), staleBefore))
      .catch((error: unknown) => {
        this.logger.warn(`could not record lastUsedAt for token ${id}: ${String(error)}`);
      })
      .finally(() => this.touches.delete(write));
    this.touches.add(write);
  }
}
