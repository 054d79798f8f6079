import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PatchOpDto } from '../dto/patch-op.dto.js';
import { ListQueryDto, ProjectionQueryDto } from '../list/list-query.dto.js';
import type { ListParams } from '../list/list-planner.service.js';
import { SearchRequestDto } from '../list/search-request.dto.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { etagMatches } from '../../scim/resource/etag.js';
import type { ListResponse } from '../../scim/resource/list-response.js';
import type { Projection } from '../../scim/resource/project-attributes.js';
import { withResourceHeaders } from './reply-headers.js';
import { ResourceIdDto } from './resource-id.dto.js';
import type { ResourceResult, ScimContext } from './scim-context.js';
import type { ScimUrlService } from './scim-url.service.js';

/** What a resource endpoint needs of its service; each resource type's service implements it. */
export interface ScimResourceService {
  projection(attributes: string | undefined, excludedAttributes: string | undefined, ctx: ScimContext): Projection;
  list(params: ListParams, ctx: ScimContext): Promise<ListResponse>;
  create(body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult>;
  get(id: string, projection: Projection, ctx: ScimContext): Promise<ResourceResult>;
  replace(
    id: string,
    body: unknown,
    projection: Projection,
    ctx: ScimContext,
    ifMatch?: string,
  ): Promise<ResourceResult>;
  patch(
    id: string,
    operations: unknown,
    projection: Projection,
    ctx: ScimContext,
    ifMatch?: string,
  ): Promise<ResourceResult>;
  delete(id: string, ctx: ScimContext, ifMatch?: string): Promise<void>;
}

type Json = Record<string, unknown>;

/**
 * The HTTP surface of a SCIM resource endpoint (RFC 7644 §3.2): routes, status codes
 * and headers only. createResourceController() subclasses it per resource type definition.
 */
export abstract class ScimResourceController {
  protected constructor(
    private readonly service: ScimResourceService,
    private readonly urls: ScimUrlService,
    /** PATCH without `attributes`/`excludedAttributes` may answer 204 (RFC 7644 §3.5.2), per directory. */
    private readonly patchStatus: (ctx: ScimContext) => 200 | 204 = () => 200,
  ) {}

  @Get()
  list(@Query() query: ListQueryDto, @Req() req: FastifyRequest): Promise<ListResponse> {
    return this.service.list(query, this.urls.context(req));
  }

  /** RFC 7644 §3.4.3: the same query, with its parameters in the body. */
  @Post('.search')
  @HttpCode(200)
  search(@Body() body: SearchRequestDto, @Req() req: FastifyRequest): Promise<ListResponse> {
    return this.service.list(body, this.urls.context(req));
  }

  @Post()
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Query() query: ProjectionQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Json> {
    const ctx = this.urls.context(req);
    const result = await this.service.create(body, this.project(query, ctx), ctx);
    return withResourceHeaders(reply, result, true);
  }

  /** RFC 7644 §3.14: If-None-Match naming the current version is 304 without a body. */
  @Get(':id')
  async get(
    @Param() params: ResourceIdDto,
    @Query() query: ProjectionQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Json | undefined> {
    const ctx = this.urls.context(req);
    const result = await this.service.get(params.id, this.project(query, ctx), ctx);
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, versionOf(result))) {
      void reply.status(304).header('ETag', result.version);
      return undefined;
    }
    return withResourceHeaders(reply, result, false);
  }

  @Put(':id')
  async replace(
    @Param() params: ResourceIdDto,
    @Body() body: unknown,
    @Query() query: ProjectionQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Json> {
    const ctx = this.urls.context(req);
    const result = await this.service.replace(params.id, body, this.project(query, ctx), ctx, ifMatch);
    return withResourceHeaders(reply, result, false);
  }

  @Patch(':id')
  async patch(
    @Param() params: ResourceIdDto,
    @Body() body: PatchOpDto,
    @Query() query: ProjectionQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Json | undefined> {
    const asked = query.attributes !== undefined || query.excludedAttributes !== undefined;
    // RFC 7644 §3.5.2: with `attributes` the answer MUST be 200 with the resource. A 204
    // needs no representation, so none is built (a huge group's members are not read).
    const base = this.urls.context(req);
    const noContent = !asked && this.patchStatus(base) === 204;
    const ctx = noContent ? this.urls.context(req, 204) : base;
    const projection = noContent ? this.service.projection('id', undefined, ctx) : this.project(query, ctx);
    const result = await this.service.patch(params.id, body.Operations, projection, ctx, ifMatch);
    if (noContent) {
      void reply.status(204).header('ETag', result.version);
      return undefined;
    }
    return withResourceHeaders(reply, result, false);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(
    @Param() params: ResourceIdDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    return this.service.delete(params.id, this.urls.context(req), ifMatch);
  }

  @Post(':id')
  postToResource(@Req() req: FastifyRequest): never {
    throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'PUT', 'PATCH', 'DELETE']);
  }

  @Put()
  putToCollection(@Req() req: FastifyRequest): never {
    throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'POST']);
  }

  @Patch()
  patchCollection(@Req() req: FastifyRequest): never {
    throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'POST']);
  }

  @Delete()
  deleteCollection(@Req() req: FastifyRequest): never {
    throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'POST']);
  }

  private project(query: ProjectionQueryDto, ctx: ScimContext): Projection {
    return this.service.projection(query.attributes, query.excludedAttributes, ctx);
  }
}

function versionOf(result: ResourceResult): number {
  return Number(/"(\d+)"/.exec(result.version)?.[1] ?? -1);
}
