/**
 * An issued API token, as tokens.repository.ts reads and writes it (api_tokens,
 * created by the migrations). Only the SHA-256 of the secret is stored; the secret is
 * shown once, at creation. `prefix` is the non-secret start of the token, so an
 * admin can tell tokens apart. A plain class with no TypeORM metadata: the
 * migrations are the schema (docs/architecture.md, "Schema source of truth").
 */
export class ApiTokenEntity {
  id: string;
  name: string;
  prefix: string;
  secretHash: string;
  /** Comma-separated scopes: `scim`, `admin`. */
  scopes: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  isBootstrap: boolean;
  /** The directory the token belongs to: its `scim` scope works only there. */
  directoryId: number;
  /** An `admin` token over every directory; otherwise its `admin` scope manages only its own. */
  serverWide: boolean;
  /** Requests per minute this token may make; null follows RATE_LIMIT_PER_MINUTE, 0 is unlimited. */
  rateLimitPerMinute: number | null;
  /** The user of its directory `/Me` names (RFC 7644 §3.11); such a token serves only `/Me`. */
  userId: string | null;
}
