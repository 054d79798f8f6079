import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One SCIM User. Indexed columns hold what IdPs look up; `doc` holds the rest
 * of the stored representation as JSON text (identical on SQLite and PostgreSQL).
 * Timestamps are fixed-width UTC ISO-8601 strings, so text order is time order on
 * both databases.
 */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_name', type: 'text' })
  userName: string;

  /** foldKey(userName) (fold-key.ts, RFC 7644 §7.8, RFC 8264); the UNIQUE index enforces uniqueness. */
  @Index('uq_users_user_name_key', { unique: true })
  @Column({ name: 'user_name_key', type: 'text' })
  userNameKey: string;

  @Index('ix_users_external_id')
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName: string | null;

  @Index('ix_users_display_name_key')
  @Column({ name: 'display_name_key', type: 'text', nullable: true })
  displayNameKey: string | null;

  @Column({ type: 'boolean', nullable: true })
  active: boolean | null;

  @Column({ type: 'varchar', length: 24 })
  created: string;

  @Index('ix_users_last_modified')
  @Column({ name: 'last_modified', type: 'varchar', length: 24 })
  lastModified: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  doc: string;

  /** argon2id hash; never part of `doc`, never returned (RFC 7643 §4.1.1). */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;
}
