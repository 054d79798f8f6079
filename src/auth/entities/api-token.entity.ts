import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An issued API token. Only the SHA-256 of the secret is stored; the secret is
 * shown once, at creation. `prefix` is the non-secret start of the token, so an
 * admin can tell tokens apart.
 */
@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  prefix: string;

  @Index('uq_api_tokens_secret_hash', { unique: true })
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  /** Comma-separated scopes: `scim`, `admin`. */
  @Column({ type: 'text' })
  scopes: string;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 24, nullable: true })
  expiresAt: string | null;

  @Column({ name: 'last_used_at', type: 'varchar', length: 24, nullable: true })
  lastUsedAt: string | null;

  @Column({ name: 'revoked_at', type: 'varchar', length: 24, nullable: true })
  revokedAt: string | null;

  @Column({ name: 'is_bootstrap', type: 'boolean' })
  isBootstrap: boolean;
}
