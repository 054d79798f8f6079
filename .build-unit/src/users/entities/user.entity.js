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
 * One SCIM User. Indexed columns hold what IdPs look up; `doc` holds the rest
 * of the stored representation as JSON text (identical on SQLite and PostgreSQL).
 * Timestamps are fixed-width UTC ISO-8601 strings, so text order is time order on
 * both databases.
 */
let UserEntity = class UserEntity {
    id;
    userName;
    /** NFKC + case fold of userName (RFC 7644 §7.8); the UNIQUE index enforces uniqueness. */
    userNameKey;
    externalId;
    displayName;
    displayNameKey;
    active;
    created;
    lastModified;
    version;
    doc;
    /** argon2id hash; never part of `doc`, never returned (RFC 7643 §4.1.1). */
    passwordHash;
};
__decorate([
    PrimaryColumn({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], UserEntity.prototype, "id", void 0);
__decorate([
    Column({ name: 'user_name', type: 'text' }),
    __metadata("design:type", String)
], UserEntity.prototype, "userName", void 0);
__decorate([
    Index('uq_users_user_name_key', { unique: true }),
    Column({ name: 'user_name_key', type: 'text' }),
    __metadata("design:type", String)
], UserEntity.prototype, "userNameKey", void 0);
__decorate([
    Index('ix_users_external_id'),
    Column({ name: 'external_id', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], UserEntity.prototype, "externalId", void 0);
__decorate([
    Column({ name: 'display_name', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], UserEntity.prototype, "displayName", void 0);
__decorate([
    Index('ix_users_display_name_key'),
    Column({ name: 'display_name_key', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], UserEntity.prototype, "displayNameKey", void 0);
__decorate([
    Column({ type: 'boolean', nullable: true }),
    __metadata("design:type", Object)
], UserEntity.prototype, "active", void 0);
__decorate([
    Column({ type: 'varchar', length: 24 }),
    __metadata("design:type", String)
], UserEntity.prototype, "created", void 0);
__decorate([
    Index('ix_users_last_modified'),
    Column({ name: 'last_modified', type: 'varchar', length: 24 }),
    __metadata("design:type", String)
], UserEntity.prototype, "lastModified", void 0);
__decorate([
    Column({ type: 'integer' }),
    __metadata("design:type", Number)
], UserEntity.prototype, "version", void 0);
__decorate([
    Column({ type: 'text' }),
    __metadata("design:type", String)
], UserEntity.prototype, "doc", void 0);
__decorate([
    Column({ name: 'password_hash', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], UserEntity.prototype, "passwordHash", void 0);
UserEntity = __decorate([
    Entity({ name: 'users' })
], UserEntity);
export { UserEntity };
//# sourceMappingURL=user.entity.js.map