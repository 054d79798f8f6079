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
var UsersService_1;
import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash as argon2Hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/app-config.js';
import { resolvePage } from '../common/list/paging.js';
import { TransactionService, isUniqueViolation } from '../database/transaction.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { parseFilter } from '../scim/filter/filter.parser.js';
import { validateFilter } from '../scim/filter/validate-filter.js';
import { checkImmutable } from '../scim/resource/check-immutable.js';
import { listResponse } from '../scim/resource/list-response.js';
import { parseProjection, projectionIncludes, projectResource } from '../scim/resource/project-attributes.js';
import { validateResource } from '../scim/resource/resource-validator.js';
import { isPlainObject, weakEtag } from '../scim/resource/scim-resource.js';
import { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { toScimUser, toUserWrite, userLocation } from './user.mapper.js';
import { UsersRepository } from './users.repository.js';
/** SCIM rules for Users (RFC 7644 §3.3–§3.6); storage is the repository's business. */
let UsersService = UsersService_1 = class UsersService {
    users;
    tx;
    registry;
    config;
    logger = new Logger(UsersService_1.name);
    constructor(users, tx, registry, config) {
        this.users = users;
        this.tx = tx;
        this.registry = registry;
        this.config = config;
    }
    projection(attributes, excludedAttributes) {
        return parseProjection(this.registry, 'User', attributes, excludedAttributes);
    }
    async create(body, projection, ctx) {
        const validated = this.validate(body, ctx);
        const write = toUserWrite(validated.doc);
        const passwordHash = await this.hashPassword(validated);
        const id = randomUUID();
        const now = new Date().toISOString();
        try {
            await this.tx.run((tx) => this.users.insert(tx, id, write, passwordHash, now));
        }
        catch (error) {
            throw this.mapWriteError(error, write.userName);
        }
        const row = { id, doc: write.doc, version: 1, created: now, last_modified: now };
        return this.result(row, projection, ctx);
    }
    async get(id, projection, ctx) {
        const row = await this.users.findById(id);
        if (!row)
            throw ScimException.notFound('User', id);
        return this.result(row, projection, ctx);
    }
    async list(query, ctx) {
        const filter = query.filter === undefined ? undefined : validateFilter(parseFilter(query.filter), this.registry, 'User');
        const page = resolvePage(query.startIndex, query.count, this.config);
        const { rows, total } = await this.users.search(filter, page.startIndex - 1, page.count);
        const groups = this.wantsGroups(query.projection) ? await this.users.findGroupsOf(rows.map((r) => r.id)) : [];
        const resources = rows.map((row) => projectResource(this.registry, 'User', toScimUser(row, groups.filter((g) => g.user_id === row.id), ctx.baseUrl), query.projection));
        return listResponse(resources, total, page.startIndex);
    }
    /** RFC 7644 §3.5.1: PUT replaces every writable attribute; it never creates. */
    async replace(id, body, projection, ctx) {
        if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
            throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
        }
        const validated = this.validate(body, ctx);
        const write = toUserWrite(validated.doc);
        const newHash = await this.hashPassword(validated);
        try {
            const row = await this.tx.run(async (tx) => {
                const current = await this.users.findForUpdate(tx, id);
                if (!current)
                    throw ScimException.notFound('User', id);
                checkImmutable(this.registry, 'User', JSON.parse(current.doc), validated.doc);
                // writeOnly password: kept when the client does not send one (it never sees it).
                if (current.doc === write.doc && newHash === null)
                    return current;
                const now = new Date().toISOString();
                await this.users.replace(tx, id, write, newHash ?? current.password_hash, now);
                return { ...current, doc: write.doc, version: Number(current.version) + 1, last_modified: now };
            });
            return await this.result(row, projection, ctx);
        }
        catch (error) {
            throw this.mapWriteError(error, write.userName);
        }
    }
    async delete(id) {
        const deleted = await this.tx.run((tx) => this.users.delete(tx, id, new Date().toISOString()));
        if (!deleted)
            throw ScimException.notFound('User', id);
    }
    validate(body, ctx) {
        const validated = validateResource(this.registry, 'User', body, { strict: this.config.strictSchema });
        if (validated.unknownAttributes.length > 0) {
            this.logger.warn(`request ${ctx.requestId}: ignored unknown User attributes: ${validated.unknownAttributes.join(', ')}`);
        }
        return validated;
    }
    async hashPassword(validated) {
        const password = validated.writeOnly['password'];
        return typeof password === 'string' ? argon2Hash(password, { algorithm: 2 /* Algorithm.Argon2id */ }) : null;
    }
    /** `groups` costs a recursive query, so it is read only when the projection returns it. */
    wantsGroups(projection) {
        const groups = this.registry.resolve('User', { name: 'groups' });
        return groups !== undefined && projectionIncludes(projection, groups.attribute, groups.path);
    }
    async result(row, projection, ctx) {
        const groups = this.wantsGroups(projection) ? await this.users.findGroupsOf([row.id]) : [];
        const full = toScimUser(row, groups, ctx.baseUrl);
        return {
            resource: projectResource(this.registry, 'User', full, projection),
            location: userLocation(ctx.baseUrl, row.id),
            version: weakEtag(Number(row.version)),
        };
    }
    mapWriteError(error, userName) {
        if (isUniqueViolation(error)) {
            return ScimException.uniqueness(`userName '${userName}' is already taken`);
        }
        return error;
    }
};
UsersService = UsersService_1 = __decorate([
    Injectable(),
    __param(3, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [UsersRepository,
        TransactionService,
        SchemaRegistry, Object])
], UsersService);
export { UsersService };
//# sourceMappingURL=users.service.js.map