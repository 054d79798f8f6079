import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type ScimContext } from '../common/http/scim-context.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { listResponse, type ListResponse } from '../scim/resource/list-response.js';
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from '../scim/schema/server-schemas.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import type { SchemaDefinition } from '../scim/schema/attribute-definition.js';
import { publishedSchemas } from '../scim/schema/published-schemas.js';
import { SCHEMA_GROUP, SCHEMA_SERVICE_PROVIDER_CONFIG } from '../scim/scim.constants.js';
import { effectiveSettings } from '../directories/effective-settings.js';
import { CURSOR_TIMEOUT_SECONDS } from '../common/list/list-planner.service.js';
import { toResourceTypeJson, toSchemaJson } from './discovery.mapper.js';

const SERVER_SCHEMAS = [SERVICE_PROVIDER_CONFIG_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA];

/**
 * The three discovery documents (RFC 7644 §4), generated from the request's effective
 * schema, the registry that also drives validation, and advertising only what this
 * server really does.
 */
@Injectable()
export class DiscoveryService {
  constructor(
    private readonly catalog: SchemaCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  serviceProviderConfig(ctx: ScimContext): Record<string, unknown> {
    const schemes: Record<string, unknown>[] = [
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
      patch: { supported: true },
      bulk: {
        supported: true,
        maxOperations: this.config.bulk.maxOperations,
        maxPayloadSize: this.config.bulk.maxPayloadSize,
      },
      filter: { supported: true, maxResults: this.config.maxPageSize },
      // PUT and PATCH of `password` (RFC 7643 §4.1.1) are served: hashed with argon2id, never returned.
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      // RFC 9865 §4: both methods; index stays the default, as for a server that had only index paging.
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        defaultPageSize: this.config.defaultPageSize,
        maxPageSize: this.config.maxPageSize,
        cursorTimeout: CURSOR_TIMEOUT_SECONDS,
      },
      authenticationSchemes: schemes,
      meta: { resourceType: 'ServiceProviderConfig', location: `${ctx.baseUrl}/ServiceProviderConfig` },
    };
  }

  async resourceTypes(ctx: ScimContext): Promise<ListResponse> {
    const types = (await this.catalog.current(ctx.directory))
      .listResourceTypes()
      .map((t) => toResourceTypeJson(t, ctx.baseUrl));
    return listResponse(types, { totalResults: types.length, startIndex: 1 });
  }

  async resourceType(id: string, ctx: ScimContext): Promise<Record<string, unknown>> {
    const type = (await this.catalog.current(ctx.directory)).listResourceTypes().find((t) => t.id === id);
    if (!type) throw ScimException.notFound('ResourceType', id);
    return toResourceTypeJson(type, ctx.baseUrl);
  }

  async schemas(ctx: ScimContext): Promise<ListResponse> {
    const all = (await this.allSchemas(ctx)).map((s) => toSchemaJson(s, ctx.baseUrl));
    return listResponse(all, { totalResults: all.length, startIndex: 1 });
  }

  async schema(id: string, ctx: ScimContext): Promise<Record<string, unknown>> {
    const lower = id.toLowerCase();
    const schema = (await this.allSchemas(ctx)).find((s) => s.id.toLowerCase() === lower);
    if (!schema) throw ScimException.notFound('Schema', id);
    return toSchemaJson(schema, ctx.baseUrl);
  }

  /**
   * The resource schemas the directory has, as published (publishedSchemas: with `externalId`,
   * and Group displayName `uniqueness` as its setting decides), then the discovery schemas
   * themselves (RFC 7643 §5-§7).
   */
  private async allSchemas(ctx: ScimContext): Promise<SchemaDefinition[]> {
    const registry = await this.catalog.current(ctx.directory);
    const unique = effectiveSettings(this.config, ctx.directory).groupDisplayNameUnique;
    const overrides = [
      { schema: SCHEMA_GROUP, attribute: 'displayName', uniqueness: unique ? 'server' : 'none' } as const,
    ];
    return [...publishedSchemas(registry, overrides), ...SERVER_SCHEMAS];
  }
}
