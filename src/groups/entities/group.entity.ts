import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One SCIM Group. Members are rows of group_members, never part of `doc`. */
@Entity({ name: 'groups' })
export class GroupEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Index('ix_groups_display_name_key')
  @Column({ name: 'display_name_key', type: 'text' })
  displayNameKey: string;

  @Index('ix_groups_external_id')
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 24 })
  created: string;

  @Index('ix_groups_last_modified')
  @Column({ name: 'last_modified', type: 'varchar', length: 24 })
  lastModified: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  doc: string;
}
