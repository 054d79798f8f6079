import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CursorKeyRepository } from '../../database/cursor-key.repository.js';
import type { CursorKey, PageRequest, PageResult } from '../../database/sql/page-query.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { parseFilter } from '../../scim/filter/filter.parser.js';
import { validateFilter } from '../../scim/filter/validate-filter.js';
import {
  boundedKey,
  decodeCursor,
  encodeCursor,
  queryHash,
  type CursorPayload,
} from '../../scim/paging/cursor.codec.js';
import { listResponse, type ListResponse } from '../../scim/resource/list-response.js';
import { parseProjection, type Projection } from '../../scim/resource/project-attributes.js';
import type { ScimObject } from '../../scim/resource/scim-resource.js';
import { SchemaCatalog } from '../../scim/schema/schema-catalog.js';
import type { ResourceTypeName, SchemaRegistry } from '../../scim/schema/schema-registry.js';
import { type ScimContext } from '../http/scim-context.js';
import { resolvePage } from './paging.js';

/** The list parameters of GET query strings and POST /.search bodies (RFC 7644 §3.4.2, §3.4.3; RFC 9865). */
export interface ListParams {
  readonly filter?: string;
  readonly startIndex?: number;
  readonly count?: number;
  readonly cursor?: string;
  readonly sortBy?: string;
  readonly sortOrder?: 'ascending' | 'descending';
  readonly attributes?: string | readonly string[];
  readonly excludedAttributes?: string | readonly string[];
}

export interface ListPlan {
  /** The request's effective schema, which validated the plan; the page is read and projected with it. */
  readonly registry: SchemaRegistry;
  readonly projection: Projection;
  readonly request: PageRequest;
  readonly startIndex: number;
  readonly cursor?: { readonly key: Buffer; readonly hash: string; readonly count: number; readonly fromKey: boolean };
}

/** How long a cursor stays valid, advertised as pagination.cursorTimeout. */
export const CURSOR_TIMEOUT_SECONDS = 3600;

const join = (value: string | readonly string[] | undefined): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? value : value.join(',');

/**
 * Turns list parameters into a validated page request (filter parsed and checked
 * against the schema, sort attribute resolved, paging rules applied, cursor verified),
 * and a page back into a ListResponse with signed cursors. Shared by Users and Groups.
 */
@Injectable()
export class ListPlanner {
  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly cursorKeys: CursorKeyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async plan(type: ResourceTypeName, params: ListParams, ctx: Pick<ScimContext, 'directory'>): Promise<ListPlan> {
    const registry = this.catalog.forDirectory(ctx.directory);
    const projection = parseProjection(registry, type, params.attributes, params.excludedAttributes);
    const filter = params.filter === undefined ? undefined : validateFilter(parseFilter(params.filter), registry, type);
    const sort = this.sort(registry, type, params);
    const page = resolvePage(params.startIndex, params.count, this.config);
    const base = { ...(filter ? { filter } : {}), ...(sort ? { sort } : {}) };
    if (params.cursor === undefined) {
      return {
        registry,
        projection,
        startIndex: page.startIndex,
        request: { ...base, mode: { kind: 'index', offset: page.startIndex - 1, limit: page.count }, withTotal: true },
      };
    }
    return this.cursorPlan(type, params, ctx, { registry, projection }, base);
  }

  respond<R>(plan: ListPlan, result: PageResult<R>, resources: ScimObject[]): ListResponse {
    if (!plan.cursor) return listResponse(resources, { totalResults: result.total ?? 0, startIndex: plan.startIndex });
    const { cursor } = plan;
    const mode = plan.request.mode;
    const backwards = mode.kind === 'cursor' && mode.direction === 'prev';
    const first = result.keys[0];
    const last = result.keys[result.keys.length - 1];
    const hasNext = backwards ? last !== undefined : result.more;
    const hasPrevious = backwards ? result.more : cursor.fromKey && first !== undefined;
    return listResponse(resources, {
      ...(hasNext && last ? { nextCursor: this.encode('next', last, cursor) } : {}),
      ...(hasPrevious && first ? { previousCursor: this.encode('prev', first, cursor) } : {}),
    });
  }

  private encode(dir: CursorPayload['dir'], key: CursorKey, cursor: NonNullable<ListPlan['cursor']>): string {
    const exp = Math.floor(Date.now() / 1000) + CURSOR_TIMEOUT_SECONDS;
    return encodeCursor({ v: 1, dir, ...boundedKey(key), q: cursor.hash, exp, count: cursor.count }, cursor.key);
  }

  /** RFC 9865 §2: an empty cursor is the first page; count must stay what it was and within bounds. */
  private async cursorPlan(
    type: ResourceTypeName,
    params: ListParams,
    ctx: Pick<ScimContext, 'directory'>,
    parsed: Pick<ListPlan, 'registry' | 'projection'>,
    base: Omit<PageRequest, 'mode' | 'withTotal'>,
  ): Promise<ListPlan> {
    const requested = params.count ?? this.config.defaultPageSize;
    if (requested > this.config.maxPageSize) {
      throw ScimException.invalidCount(`count must be at most ${this.config.maxPageSize} with cursor paging`);
    }
    const count = Math.max(0, requested);
    const key = await this.cursorKeys.getOrCreate();
    // The signing key is server-wide: the directory is part of the query a cursor continues,
    // so a cursor issued in one directory is invalidCursor in any other (RFC 9865 §2.1).
    const hash = queryHash({
      resourceType: type,
      tenant: String(ctx.directory.id),
      ...(params.filter !== undefined ? { filter: params.filter } : {}),
      ...(params.sortBy !== undefined ? { sortBy: params.sortBy, sortOrder: params.sortOrder ?? 'ascending' } : {}),
      ...(join(params.attributes) !== undefined ? { attributes: join(params.attributes) } : {}),
      ...(join(params.excludedAttributes) !== undefined ? { excludedAttributes: join(params.excludedAttributes) } : {}),
    });
    const payload =
      params.cursor === ''
        ? undefined
        : decodeCursor(params.cursor ?? '', key, { queryHash: hash, now: Math.floor(Date.now() / 1000), count });
    const mode = payload
      ? {
          kind: 'cursor' as const,
          direction: payload.dir,
          after: payload.key,
          ...(payload.cut !== undefined ? { cut: payload.cut } : {}),
          limit: count,
        }
      : { kind: 'cursor' as const, direction: 'next' as const, limit: count };
    return {
      ...parsed,
      startIndex: 1,
      request: { ...base, mode, withTotal: false },
      cursor: { key, hash, count, fromKey: payload !== undefined },
    };
  }

  /** RFC 7644 §3.4.2.3 sortBy/sortOrder; an attribute the schemas do not define is 400 invalidValue. */
  private sort(registry: SchemaRegistry, type: ResourceTypeName, params: ListParams): PageRequest['sort'] {
    if (params.sortBy === undefined || params.sortBy.trim() === '') return undefined;
    const attribute = registry.resolveText(type, params.sortBy.trim());
    if (!attribute) throw ScimException.invalidValue(`Cannot sort by unknown attribute '${params.sortBy}'`);
    return { attribute, descending: params.sortOrder === 'descending' };
  }
}
