import type { ApiTokenEntity } from './api-token.js';
import { parseScopes, type Scope } from './token-secret.js';

/** What the admin API shows of a token: everything except the secret and its hash. */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: Scope[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
  readonly bootstrap: boolean;
  /** The directory the token belongs to. */
  readonly directoryId: number;
  /** An `admin` token over every directory. */
  readonly serverWide: boolean;
  /** Requests per minute; null follows RATE_LIMIT_PER_MINUTE, 0 is unlimited. */
  readonly rateLimitPerMinute: number | null;
  /** The user `/Me` names (RFC 7644 §3.11); null for a token bound to no user. */
  readonly userId: string | null;
}

export function tokenStatus(token: ApiTokenEntity, now: Date): TokenView['status'] {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt <= now.toISOString()) return 'expired';
  return 'active';
}

export function toTokenView(token: ApiTokenEntity, now = new Date()): TokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: parseScopes(token.scopes),
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
    status: tokenStatus(token, now),
    bootstrap: Boolean(token.isBootstrap),
    directoryId: token.directoryId,
    serverWide: token.serverWide,
    rateLimitPerMinute: token.rateLimitPerMinute,
    userId: token.userId,
  };
}
