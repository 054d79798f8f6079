import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { MemberType } from '../../scim/patch/patch.types.js';

/**
 * Membership edge. The primary key (group_id, member_id) makes adds idempotent and
 * serves "members of a group"; the member_id index serves "groups of a member".
 */
@Entity({ name: 'group_members' })
@Index('ix_group_members_member_id', ['memberId'])
export class GroupMemberEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 })
  groupId: string;

  @PrimaryColumn({ name: 'member_id', type: 'varchar', length: 36 })
  memberId: string;

  @Column({ name: 'member_type', type: 'varchar', length: 5 })
  memberType: MemberType;
}
