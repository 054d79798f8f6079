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
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { APP_CONFIG } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { PUBLIC_KEY, SCOPE_KEY } from './auth.decorators.js';
/**
 * Global guard: every route needs a valid token unless marked @Public, and the
 * token must carry the route's scope (`scim` unless @RequireScope says otherwise).
 * Basic is tried only when AUTH_BASIC_ENABLED is on.
 */
let ScimAuthGuard = class ScimAuthGuard extends AuthGuard(['bearer', 'basic']) {
    reflector;
    config;
    constructor(reflector, config) {
        super();
        this.reflector = reflector;
        this.config = config;
    }
    async canActivate(context) {
        const targets = [context.getHandler(), context.getClass()];
        if (this.reflector.getAllAndOverride(PUBLIC_KEY, targets))
            return true;
        const header = context.switchToHttp().getRequest().headers.authorization ?? '';
        const basic = /^basic\s/i.test(header);
        if (basic && !this.config.authBasicEnabled) {
            throw ScimException.unauthorized('HTTP Basic authentication is not enabled; use a Bearer token');
        }
        await super.canActivate(context);
        const principal = this.getRequest(context).user;
        const required = this.reflector.getAllAndOverride(SCOPE_KEY, targets) ?? 'scim';
        if (!principal?.scopes.has(required)) {
            throw ScimException.forbidden(`This token lacks the '${required}' scope`);
        }
        context.switchToHttp().getRequest().principal = principal;
        return true;
    }
    /**
     * passport-http-bearer also reads tokens from the query string and the body;
     * handing it only the Authorization header keeps secrets out of URLs and logs.
     */
    getRequest(context) {
        const request = context.switchToHttp().getRequest();
        request.authCarrier ??= { headers: { authorization: request.headers.authorization } };
        return request.authCarrier;
    }
    handleRequest(error, user) {
        if (error instanceof ScimException)
            throw error;
        if (error || !user)
            throw ScimException.unauthorized('Missing, invalid, expired or revoked token');
        return user;
    }
};
ScimAuthGuard = __decorate([
    Injectable(),
    __param(1, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [Reflector, Object])
], ScimAuthGuard);
export { ScimAuthGuard };
//# sourceMappingURL=scim-auth.guard.js.map