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
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.js';
import { TokensService } from './tokens.service.js';
const FIRST_ADMIN_TOKEN_KEY = 'first_admin_token_issued';
/**
 * Makes a fresh server reachable: SCIM_BOOTSTRAP_TOKEN (for containers) is
 * ensured idempotently; otherwise an empty token table gets one admin token,
 * printed once. A revoked bootstrap token stays revoked.
 */
let TokenBootstrapService = class TokenBootstrapService {
    tokens;
    config;
    logger = new Logger('TokenBootstrap');
    constructor(tokens, config) {
        this.tokens = tokens;
        this.config = config;
    }
    async onApplicationBootstrap() {
        if (this.config.bootstrapToken) {
            await this.ensureBootstrapToken(this.config.bootstrapToken);
            return;
        }
        await this.issueFirstAdminToken();
    }
    async ensureBootstrapToken(secret) {
        const outcome = await this.tokens.ensure({ name: 'bootstrap', scopes: ['scim', 'admin'] }, secret);
        if (outcome === 'revoked') {
            this.logger.warn('SCIM_BOOTSTRAP_TOKEN matches a revoked token; it stays revoked. Set a new secret to bootstrap again.');
        }
        else if (outcome === 'created') {
            this.logger.log('bootstrap token from SCIM_BOOTSTRAP_TOKEN created (scopes: scim, admin)');
        }
    }
    async issueFirstAdminToken() {
        if ((await this.tokens.countTokens()) > 0)
            return;
        // The claim row makes this happen once, even with several instances starting together.
        if (!(await this.tokens.claimOnce(FIRST_ADMIN_TOKEN_KEY)))
            return;
        const { secret } = await this.tokens.issue({ name: 'initial-admin', scopes: ['admin'] });
        process.stdout.write(`\nFirst start: an admin token was issued. Copy it now; it is not shown again:\n\n  ${secret}\n\n` +
            'Use it to issue a SCIM token for your IdP:\n' +
            `  curl -X POST http://localhost:${this.config.port}/admin/tokens -H "Authorization: Bearer <admin token>" ` +
            `-H "Content-Type: application/json" -d '{"name":"okta","scopes":["scim"]}'\n\n`);
    }
};
TokenBootstrapService = __decorate([
    Injectable(),
    __param(1, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [TokensService, Object])
], TokenBootstrapService);
export { TokenBootstrapService };
//# sourceMappingURL=token-bootstrap.service.js.map