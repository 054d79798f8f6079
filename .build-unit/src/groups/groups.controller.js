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
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { withResourceHeaders } from '../common/http/reply-headers.js';
import { ResourceIdDto } from '../common/http/resource-id.dto.js';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { ListQueryDto, ProjectionQueryDto } from '../common/list/list-query.dto.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { GroupsService } from './groups.service.js';
/** /Groups (RFC 7644 §3.2): HTTP only; the rules live in GroupsService. */
let GroupsController = class GroupsController {
    groups;
    urls;
    constructor(groups, urls) {
        this.groups = groups;
        this.urls = urls;
    }
    list(query, req) {
        const projection = this.groups.projection(query.attributes, query.excludedAttributes);
        return this.groups.list({ ...query, projection }, this.urls.context(req));
    }
    async create(body, query, req, reply) {
        const projection = this.groups.projection(query.attributes, query.excludedAttributes);
        return withResourceHeaders(reply, await this.groups.create(body, projection, this.urls.context(req)), true);
    }
    async get(params, query, req, reply) {
        const projection = this.groups.projection(query.attributes, query.excludedAttributes);
        return withResourceHeaders(reply, await this.groups.get(params.id, projection, this.urls.context(req)), false);
    }
    async replace(params, body, query, req, reply) {
        const projection = this.groups.projection(query.attributes, query.excludedAttributes);
        return withResourceHeaders(reply, await this.groups.replace(params.id, body, projection, this.urls.context(req)), false);
    }
    delete(params) {
        return this.groups.delete(params.id);
    }
    patch() {
        throw ScimException.notImplemented('PATCH is not supported yet');
    }
    postToResource(req) {
        throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'PUT', 'DELETE']);
    }
    putToCollection(req) {
        throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'POST']);
    }
    deleteCollection(req) {
        throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'POST']);
    }
};
__decorate([
    Get(),
    __param(0, Query()),
    __param(1, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [ListQueryDto, Object]),
    __metadata("design:returntype", Promise)
], GroupsController.prototype, "list", null);
__decorate([
    Post(),
    HttpCode(201),
    __param(0, Body()),
    __param(1, Query()),
    __param(2, Req()),
    __param(3, Res({ passthrough: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, ProjectionQueryDto, Object, Object]),
    __metadata("design:returntype", Promise)
], GroupsController.prototype, "create", null);
__decorate([
    Get(':id'),
    __param(0, Param()),
    __param(1, Query()),
    __param(2, Req()),
    __param(3, Res({ passthrough: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [ResourceIdDto,
        ProjectionQueryDto, Object, Object]),
    __metadata("design:returntype", Promise)
], GroupsController.prototype, "get", null);
__decorate([
    Put(':id'),
    __param(0, Param()),
    __param(1, Body()),
    __param(2, Query()),
    __param(3, Req()),
    __param(4, Res({ passthrough: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [ResourceIdDto, Object, ProjectionQueryDto, Object, Object]),
    __metadata("design:returntype", Promise)
], GroupsController.prototype, "replace", null);
__decorate([
    Delete(':id'),
    HttpCode(204),
    __param(0, Param()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [ResourceIdDto]),
    __metadata("design:returntype", Promise)
], GroupsController.prototype, "delete", null);
__decorate([
    Patch(':id'),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "patch", null);
__decorate([
    Post(':id'),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "postToResource", null);
__decorate([
    Put(),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "putToCollection", null);
__decorate([
    Delete(),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], GroupsController.prototype, "deleteCollection", null);
GroupsController = __decorate([
    Controller('Groups'),
    __metadata("design:paramtypes", [GroupsService,
        ScimUrlService])
], GroupsController);
export { GroupsController };
//# sourceMappingURL=groups.controller.js.map