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
/** One SCIM Group. Members are rows of group_members, never part of `doc`. */
let GroupEntity = class GroupEntity {
    id;
    displayName;
    displayNameKey;
    externalId;
    created;
    lastModified;
    version;
    doc;
};
__decorate([
    PrimaryColumn({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], GroupEntity.prototype, "id", void 0);
__decorate([
    Column({ name: 'display_name', type: 'text' }),
    __metadata("design:type", String)
], GroupEntity.prototype, "displayName", void 0);
__decorate([
    Index('ix_groups_display_name_key'),
    Column({ name: 'display_name_key', type: 'text' }),
    __metadata("design:type", String)
], GroupEntity.prototype, "displayNameKey", void 0);
__decorate([
    Index('ix_groups_external_id'),
    Column({ name: 'external_id', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], GroupEntity.prototype, "externalId", void 0);
__decorate([
    Column({ type: 'varchar', length: 24 }),
    __metadata("design:type", String)
], GroupEntity.prototype, "created", void 0);
__decorate([
    Index('ix_groups_last_modified'),
    Column({ name: 'last_modified', type: 'varchar', length: 24 }),
    __metadata("design:type", String)
], GroupEntity.prototype, "lastModified", void 0);
__decorate([
    Column({ type: 'integer' }),
    __metadata("design:type", Number)
], GroupEntity.prototype, "version", void 0);
__decorate([
    Column({ type: 'text' }),
    __metadata("design:type", String)
], GroupEntity.prototype, "doc", void 0);
GroupEntity = __decorate([
    Entity({ name: 'groups' })
], GroupEntity);
export { GroupEntity };
//# sourceMappingURL=group.entity.js.map