var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
/**
 * Membership edge. The primary key (group_id, member_id) makes adds idempotent and
 * serves "members of a group"; the member_id index serves "groups of a member".
 */
let GroupMemberEntity = class GroupMemberEntity {
    groupId;
    memberId;
    memberType;
};
__decorate([
    PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], GroupMemberEntity.prototype, "groupId", void 0);
__decorate([
    PrimaryColumn({ name: 'member_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], GroupMemberEntity.prototype, "memberId", void 0);
__decorate([
    Column({ name: 'member_type', type: 'varchar', length: 5 }),
    __metadata("design:type", String)
], GroupMemberEntity.prototype, "memberType", void 0);
GroupMemberEntity = __decorate([
    Entity({ name: 'group_members' }),
    Index('ix_group_members_member_id', ['memberId'])
], GroupMemberEntity);
export { GroupMemberEntity };
//# sourceMappingURL=group-member.entity.js.map