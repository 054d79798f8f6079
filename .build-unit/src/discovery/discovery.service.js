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
import { APP_CONFIG } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { listResponse } from '../scim/resource/list-response.js';
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA, } from '../scim/schema/server-schemas.js';
import { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { SCHEMA_SERVICE_PROVIDER_CONFIG } from '../scim/scim.constants.js';
import { toResourceTypeJson, toSchemaJson } from './discovery.mapper.js';
const SERVER_SCHEMAS = [SERVICE_PROVIDER_CONFIG_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA];
/**
 * The three discovery documents, generated from the schema registry that also
 * drives validation, and advertising only what this server really does
 * (requirements A.21, B.22).
 */
let DiscoveryService = class DiscoveryService {
    registry;
    config;
    constructor(registry, config) {
        this.registry = registry;
        this.config = config;
    }
    serviceProviderConfig(ctx) {
        const schemes = [
            {
                type: 'oauthbearertoken',
                name: 'OAuth Bearer Token',
                description: 'Authentication with an API token issued by this server (Authorization: Bearer <token>)',
                specUri: 'https://www.rfc-editor.org/info/rfc6750',
                primary: true,
            },
        ];
        if (this.config.authBasicEnabled) {
            schemes.push({
                type: 'httpbasic',
                name: 'HTTP Basic',
                description: 'HTTP Basic with any user name and an issued API token as the password',
                specUri: 'https://www.rfc-editor.org/info/rfc7617',
            });
        }
        return {
            schemas: [SCHEMA_SERVICE_PROVIDER_CONFIG],
            documentationUri: 'https://www.rfc-editor.org/info/rfc7644',
            patch: { supported: false },
            bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
            filter: { supported: true, maxResults: this.config.maxPageSize },
            changePassword: { supported: false },
            sort: { supported: false },
            etag: { supported: false },
            pagination: {
                cursor: false,
                index: true,
                defaultPaginationMethod: 'index',
                defaultPageSize: this.config.defaultPageSize,
                maxPageSize: this.config.maxPageSize,
            },
            authenticationSchemes: schemes,
            meta: { resourceType: 'ServiceProviderConfig', location: `${ctx.baseUrl}/ServiceProviderConfig` },
        };
    }
    resourceTypes(ctx) {
        const types = this.registry.listResourceTypes().map((t) => toResourceTypeJson(t, ctx.baseUrl));
        return listResponse(types, types.length, 1);
    }
    resourceType(id, ctx) {
        const type = this.registry.listResourceTypes().find((t) => t.id === id);
        if (!type)
            throw ScimException.notFound('ResourceType', id);
        return toResourceTypeJson(type, ctx.baseUrl);
    }
    schemas(ctx) {
        const all = [...this.registry.listSchemas(), ...SERVER_SCHEMAS].map((s) => toSchemaJson(s, ctx.baseUrl));
        return listResponse(all, all.length, 1);
    }
    schema(id, ctx) {
        const lower = id.toLowerCase();
        const schema = [...this.registry.listSchemas(), ...SERVER_SCHEMAS].find((s) => s.id.toLowerCase() === lower);
        if (!schema)
            throw ScimException.notFound('Schema', id);
        return toSchemaJson(schema, ctx.baseUrl);
    }
};
DiscoveryService = __decorate([
    Injectable(),
    __param(1, Inject(APP_CONFIG)),
    __metadata("design:paramtypes", [SchemaRegistry, Object])
], DiscoveryService);
export { DiscoveryService };
//# sourceMappingURL=discovery.service.js.map