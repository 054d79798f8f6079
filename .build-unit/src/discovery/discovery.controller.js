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
import { Controller, Delete, Get, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { Public } from '../auth/auth.decorators.js';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { DiscoveryService } from './discovery.service.js';
const DISCOVERY_PATHS = ['ServiceProviderConfig', 'ResourceTypes', 'ResourceTypes/:id', 'Schemas', 'Schemas/:id'];
function readOnly(req) {
    throw ScimException.methodNotAllowed(req.method, req.url.split('?')[0] ?? '', ['GET']);
}
/**
 * RFC 7644 §4 discovery endpoints. Query parameters (filter, sort, paging) are
 * ignored here as §4 requires; every method but GET is 405.
 */
let DiscoveryController = class DiscoveryController {
    discovery;
    urls;
    constructor(discovery, urls) {
        this.discovery = discovery;
        this.urls = urls;
    }
    /** RFC 7643 §5: authenticationSchemes should be readable before authenticating. */
    serviceProviderConfig(req) {
        return this.discovery.serviceProviderConfig(this.urls.context(req));
    }
    resourceTypes(req) {
        return this.discovery.resourceTypes(this.urls.context(req));
    }
    resourceType(id, req) {
        return this.discovery.resourceType(id, this.urls.context(req));
    }
    schemas(req) {
        return this.discovery.schemas(this.urls.context(req));
    }
    schema(id, req) {
        return this.discovery.schema(id, this.urls.context(req));
    }
    post(req) {
        return readOnly(req);
    }
    put(req) {
        return readOnly(req);
    }
    patch(req) {
        return readOnly(req);
    }
    delete(req) {
        return readOnly(req);
    }
};
__decorate([
    Public(),
    Get('ServiceProviderConfig'),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Object)
], DiscoveryController.prototype, "serviceProviderConfig", null);
__decorate([
    Get('ResourceTypes'),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Object)
], DiscoveryController.prototype, "resourceTypes", null);
__decorate([
    Get('ResourceTypes/:id'),
    __param(0, Param('id')),
    __param(1, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Object)
], DiscoveryController.prototype, "resourceType", null);
__decorate([
    Get('Schemas'),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Object)
], DiscoveryController.prototype, "schemas", null);
__decorate([
    Get('Schemas/:id'),
    __param(0, Param('id')),
    __param(1, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Object)
], DiscoveryController.prototype, "schema", null);
__decorate([
    Public(),
    Post(DISCOVERY_PATHS),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], DiscoveryController.prototype, "post", null);
__decorate([
    Public(),
    Put(DISCOVERY_PATHS),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], DiscoveryController.prototype, "put", null);
__decorate([
    Public(),
    Patch(DISCOVERY_PATHS),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], DiscoveryController.prototype, "patch", null);
__decorate([
    Public(),
    Delete(DISCOVERY_PATHS),
    __param(0, Req()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], DiscoveryController.prototype, "delete", null);
DiscoveryController = __decorate([
    Controller(),
    __metadata("design:paramtypes", [DiscoveryService,
        ScimUrlService])
], DiscoveryController);
export { DiscoveryController };
//# sourceMappingURL=discovery.controller.js.map