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
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.js';
import { requestOrigin } from './request-url.js';
/** Builds the per-request ScimContext: the absolute SCIM base URL and the request id. */
let ScimUrlService = class ScimUrlService {
    config;
    constructor(config) {
        this.config = config;
    }
    context(request) {
        return {
            baseUrl: `${requestOrigin(request, this.config.publicBaseUrl)}${this.config.scimBasePath}`,
            requestId: String(request.id),
        };
    }
};
ScimUrlService = __decorate([
    Injectable(),
    __param(0, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [Object])
], ScimUrlService);
export { ScimUrlService };
//# sourceMappingURL=scim-url.service.js.map