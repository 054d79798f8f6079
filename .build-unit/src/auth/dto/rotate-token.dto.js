var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { IsInt, IsOptional, Max, Min } from 'class-validator';
export class RotateTokenDto {
    /** How long the old token keeps working, so the IdP can be switched without downtime. */
    graceSeconds;
}
__decorate([
    IsOptional(),
    IsInt(),
    Min(0),
    Max(30 * 24 * 3600),
    __metadata("design:type", Number)
], RotateTokenDto.prototype, "graceSeconds", void 0);
//# sourceMappingURL=rotate-token.dto.js.map