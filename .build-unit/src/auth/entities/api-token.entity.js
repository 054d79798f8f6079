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
 * An issued API token. Only the SHA-256 of the secret is stored; the secret is
 * shown once, at creation. `prefix` is the non-secret start of the token, so an
 * admin can tell tokens apart.
 */
let ApiTokenEntity = class ApiTokenEntity {
    id;
    name;
    prefix;
    secretHash;
    /** Comma-separated scopes: `scim`, `admin`. */
    scopes;
    createdAt;
    expiresAt;
    lastUsedAt;
    revokedAt;
    isBootstrap;
};
__decorate([
    PrimaryColumn({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], ApiTokenEntity.prototype, "id", void 0);
__decorate([
    Column({ type: 'text' }),
    __metadata("design:type", String)
], ApiTokenEntity.prototype, "name", void 0);
__decorate([
    Column({ type: 'varchar', length: 32 }),
    __metadata("design:type", String)
], ApiTokenEntity.prototype, "prefix", void 0);
__decorate([
    Index('uq_api_tokens_secret_hash', { unique: true }),
    Column({ name: 'secret_hash', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], ApiTokenEntity.prototype, "secretHash", void 0);
__decorate([
    Column({ type: 'text' }),
    __metadata("design:type", String)
], ApiTokenEntity.prototype, "scopes", void 0);
__decorate([
    Column({ name: 'created_at', type: 'varchar', length: 24 }),
    __metadata("design:type", String)
], ApiTokenEntity.prototype, "createdAt", void 0);
__decorate([
    Column({ name: 'expires_at', type: 'varchar', length: 24, nullable: true }),
    __metadata("design:type", Object)
], ApiTokenEntity.prototype, "expiresAt", void 0);
__decorate([
    Column({ name: 'last_used_at', type: 'varchar', length: 24, nullable: true }),
    __metadata("design:type", Object)
], ApiTokenEntity.prototype, "lastUsedAt", void 0);
__decorate([
    Column({ name: 'revoked_at', type: 'varchar', length: 24, nullable: true }),
    __metadata("design:type", Object)
], ApiTokenEntity.prototype, "revokedAt", void 0);
__decorate([
    Column({ name: 'is_bootstrap', type: 'boolean' }),
    __metadata("design:type", Boolean)
], ApiTokenEntity.prototype, "isBootstrap", void 0);
ApiTokenEntity = __decorate([
    Entity({ name: 'api_tokens' })
], ApiTokenEntity);
export { ApiTokenEntity };
//# sourceMappingURL=api-token.entity.js.map