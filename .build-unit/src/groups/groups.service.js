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
var GroupsService_1;
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/app-config.js';
import { resolvePage } from '../common/list/paging.js';
import { TransactionService } from '../database/transaction.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { parseFilter } from '../scim/filter/filter.parser.js';
import { validateFilter } from '../scim/filter/validate-filter.js';
import { checkImmutable } from '../scim/resource/check-immutable.js';
import { listResponse } from '../scim/resource/list-response.js';
import { parseProjection, projectionIncludes, projectResource } from '../scim/resource/project-attributes.js';
import { validateResource } from '../scim/resource/resource-validator.js';
import { isPlainObject, weakEtag } from '../scim/resource/scim-resource.js';
import { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { groupLocation, toGroupWrite, toScimGroup } from './group.mapper.js';
import { GroupsRepository } from './groups.repository.js';
/** SCIM rules for Groups (RFC 7643 §4.2, RFC 7644 §3.3–§3.6). */
let GroupsService = GroupsService_1 = class GroupsService {
    groups;
    tx;
    registry;
    config;
    logger = new Logger(GroupsService_1.name);
    constructor(groups, tx, registry, config) {
        this.groups = groups;
        this.tx = tx;
        this.registry = registry;
        this.config = config;
    }
    projection(attributes, excludedAttributes) {
        return parseProjection(this.registry, 'Group', attributes, excludedAttributes);
    }
    async create(body, projection, ctx) {
        const { write, members } = this.validate(body, ctx);
        const id = randomUUID();
        const now = new Date().toISOString();
        await this.tx.run(async (tx) => {
            const targets = await this.resolveMembers(tx, id, members);
            await this.groups.insert(tx, id, write, now);
            await this.groups.addMembers(tx, id, targets);
            await this.groups.bumpUsers(tx, targets.filter((t) => t.type === 'User').map((t) => t.id), now);
        });
        return this.result({ id, doc: write.doc, version: 1, created: now, last_modified: now }, projection, ctx);
    }
    async get(id, projection, ctx) {
        const row = await this.groups.findById(id);
        if (!row)
            throw ScimException.notFound('Group', id);
        return this.result(row, projection, ctx);
    }
    async list(query, ctx) {
        const filter = query.filter === undefined ? undefined : validateFilter(parseFilter(query.filter), this.registry, 'Group');
        const page = resolvePage(query.startIndex, query.count, this.config);
        const { rows, total } = await this.groups.search(filter, page.startIndex - 1, page.count);
        const resources = [];
        for (const row of rows)
            resources.push((await this.result(row, query.projection, ctx)).resource);
        return listResponse(resources, total, page.startIndex);
    }
    /** PUT replaces displayName, externalId and the member set; members change as a set difference. */
    async replace(id, body, projection, ctx) {
        if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
            throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
        }
        const { write, members } = this.validate(body, ctx);
        const row = await this.tx.run(async (tx) => {
            const current = await this.groups.findForUpdate(tx, id);
            if (!current)
                throw ScimException.notFound('Group', id);
            checkImmutable(this.registry, 'Group', JSON.parse(current.doc), JSON.parse(write.doc));
            const membersChanged = await this.replaceMembers(tx, id, members);
            if (current.doc === write.doc && !membersChanged)
                return current;
            const now = new Date().toISOString();
            await this.groups.replace(tx, id, write, now);
            return { ...current, doc: write.doc, version: Number(current.version) + 1, last_modified: now };
        });
        return this.result(row, projection, ctx);
    }
    async delete(id) {
        const deleted = await this.tx.run((tx) => this.groups.delete(tx, id, new Date().toISOString()));
        if (!deleted)
            throw ScimException.notFound('Group', id);
    }
    validate(body, ctx) {
        const validated = validateResource(this.registry, 'Group', body, { strict: this.config.strictSchema });
        if (validated.unknownAttributes.length > 0) {
            this.logger.warn(`request ${ctx.requestId}: ignored unknown Group attributes: ${validated.unknownAttributes.join(', ')}`);
        }
        return toGroupWrite(validated.doc);
    }
    /**
     * Checks that every member exists (400 invalidValue naming the unknown ids, for
     * the whole request), that a stated type matches, and that no cycle would form.
     */
    async resolveMembers(tx, groupId, refs) {
        const ids = [...new Set(refs.map((r) => r.value))];
        if (ids.some((v) => v === ''))
            throw ScimException.invalidValue("Every member needs a 'value'");
        const found = await this.groups.findMemberTargets(tx, ids);
        const byId = new Map(found.map((f) => [f.id, f]));
        const unknown = ids.filter((v) => !byId.has(v));
        if (unknown.length > 0)
            throw ScimException.invalidValue(`Unknown member ids: ${unknown.slice(0, 20).join(', ')}`);
        for (const ref of refs) {
            if (ref.type && byId.get(ref.value)?.type !== ref.type) {
                throw ScimException.invalidValue(`Member ${ref.value} is not a ${ref.type}`);
            }
        }
        const nested = found.filter((f) => f.type === 'Group');
        if (nested.length > 0)
            await this.groups.lockGroupGraph(tx);
        for (const target of nested) {
            if (await this.groups.wouldCycle(tx, groupId, target.id)) {
                throw ScimException.invalidValue(`Adding group ${target.id} would make a membership cycle`);
            }
        }
        return found;
    }
    async replaceMembers(tx, groupId, refs) {
        const wanted = await this.resolveMembers(tx, groupId, refs);
        const current = new Set(await this.groups.memberIds(tx, groupId));
        const wantedIds = new Set(wanted.map((w) => w.id));
        const toAdd = wanted.filter((w) => !current.has(w.id));
        const toRemove = [...current].filter((id) => !wantedIds.has(id));
        if (toAdd.length === 0 && toRemove.length === 0)
            return false;
        const now = new Date().toISOString();
        await this.groups.removeMembers(tx, groupId, toRemove);
        await this.groups.addMembers(tx, groupId, toAdd);
        // Removed ids that are groups match no user row; the statement skips them.
        await this.groups.bumpUsers(tx, [...toAdd.filter((t) => t.type === 'User').map((t) => t.id), ...toRemove], now);
        return true;
    }
    /** `members` is read only when the projection returns it (excludedAttributes=members reads no member row). */
    async result(row, projection, ctx) {
        const members = this.registry.resolve('Group', { name: 'members' });
        const wantsMembers = members !== undefined && projectionIncludes(projection, members.attribute, members.path);
        const rows = wantsMembers ? await this.groups.findMembers(row.id) : undefined;
        return {
            resource: projectResource(this.registry, 'Group', toScimGroup(row, rows, ctx.baseUrl), projection),
            location: groupLocation(ctx.baseUrl, row.id),
            version: weakEtag(Number(row.version)),
        };
    }
};
GroupsService = GroupsService_1 = __decorate([
    Injectable(),
    __param(3, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [GroupsRepository,
        TransactionService,
        SchemaRegistry, Object])
], GroupsService);
export { GroupsService };
//# sourceMappingURL=groups.service.js.map