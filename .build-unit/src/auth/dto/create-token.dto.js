var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { SCOPES } from '../token-secret.js';
export class CreateTokenDto {
    name;
    scopes;
    /** Absolute expiry; RFC 7644 §7.4 wants bearer tokens to have a limited lifetime. */
    expiresAt;
}
__decorate([
    IsString(),
    Length(1, 100),
    __metadata("design:type", String)
], CreateTokenDto.prototype, "name", void 0);
__decorate([
    IsArray(),
    ArrayNotEmpty(),
    IsIn(SCOPES, { each: true }),
    __metadata("design:type", Array)
], CreateTokenDto.prototype, "scopes", void 0);
__decorate([
    IsOptional(),
    IsISO8601({ strict: true }),
    __metadata("design:type", String)
], CreateTokenDto.prototype, "expiresAt", void 0);
//# sourceMappingURL=create-token.dto.js.map