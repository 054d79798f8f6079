var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ScimException } from '../scim/errors/scim.exception.js';
import { RequireScope } from './auth.decorators.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import { RotateTokenDto } from './dto/rotate-token.dto.js';
import { TokenIdDto } from './dto/token-id.dto.js';
import { TokensService } from './tokens.service.js';
/** Token management, outside the SCIM base path; needs the `admin` scope. */
let AdminTokensController = class AdminTokensController {
    tokens;
    constructor(tokens) {
        this.tokens = tokens;
    }
    create(body) {
        const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
        if (expiresAt && expiresAt.getTime() <= Date.now()) {
            throw ScimException.invalidValue('expiresAt must be in the future');
        }
        return this.tokens.issue({ name: body.name, scopes: body.scopes, ...(expiresAt ? { expiresAt } : {}) });
    }
    async list() {
        return { tokens: await this.tokens.list() };
    }
    get(params) {
        return this.tokens.get(params.id);
    }
    revoke(params) {
        return this.tokens.revoke(params.id);
    }
    remove(params) {
        return this.tokens.revoke(params.id);
    }
    rotate(params, body = {}) {
        return this.tokens.rotate(params.id, body?.graceSeconds ?? 0);
    }
};
__decorate([
    Post(),
    HttpCode(201),
    __param(0, Body()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [CreateTokenDto]),
    __metadata("design:returntype", Promise)
], AdminTokensController.prototype, "create", null);
__decorate([
    Get(),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], AdminTokensController.prototype, "list", null);
__decorate([
    Get(':id'),
    __param(0, Param()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [TokenIdDto]),
    __metadata("design:returntype", Promise)
], AdminTokensController.prototype, "get", null);
__decorate([
    Post(':id/revoke'),
    HttpCode(200),
    __param(0, Param()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [TokenIdDto]),
    __metadata("design:returntype", Promise)
], AdminTokensController.prototype, "revoke", null);
__decorate([
    Delete(':id'),
    HttpCode(200),
    __param(0, Param()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [TokenIdDto]),
    __metadata("design:returntype", Promise)
], AdminTokensController.prototype, "remove", null);
__decorate([
    Post(':id/rotate'),
    HttpCode(201),
    __param(0, Param()),
    __param(1, Body()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [TokenIdDto, RotateTokenDto]),
    __metadata("design:returntype", Promise)
], AdminTokensController.prototype, "rotate", null);
AdminTokensController = __decorate([
    Controller('admin/tokens'),
    RequireScope('admin'),
    __metadata("design:paramtypes", [TokensService])
], AdminTokensController);
export { AdminTokensController };
//# sourceMappingURL=admin-tokens.controller.js.map