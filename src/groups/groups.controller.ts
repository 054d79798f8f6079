import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withResourceHeaders } from '../common/http/reply-headers.js';
import { ResourceIdDto } from '../common/http/resource-id.dto.js';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { ListQueryDto, ProjectionQueryDto } from '../common/list/list-query.dto.js';
import { SearchRequestDto } from '../common/list/search-request.dto.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { GroupsService } from './groups.service.js';

/** /Groups (RFC 7644 §3.2): HTTP only; the rules live in GroupsService. */
@Controller('Groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly urls: ScimUrlService,
  ) {}

  @Get()
  list(@Query() query: ListQueryDto, @Req() req: FastifyRequest): Promise<ListResponse> {
    return this.groups.list(query, this.urls.context(req));
  }

  /** RFC 7644 §3.4.3: the same query, with its parameters in the body. */
  @Post('.search')
  @HttpCode(200)
  search(@Body() body: SearchRequestDto, @Req() req: FastifyRequest): Promise<ListResponse> {
    return this.groups.list(body, this.urls.context(req));
  }

  @Post()
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Query() query: ProjectionQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const projection = this.groups.projection(query.attributes, query.excludedAttributes);
    return withResourceHeaders(reply, await this.groups.create(body, projection, this.urls.context(req)), true);
  }

  @Get(':id')
  async get(
    @Param() params: ResourceIdDto,
    @Query() query: ProjectionQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const projection = this.groups.projection(query.attributes, query.excludedAttributes);
    return withResourceHeaders(reply, await this.groups.get(params.id, projection, this.urls.context(req)), false);
  }

  @Put(':id')
  async replace(
    @Param() params: ResourceIdDto,
    @Body() body: unknown,
    @Query() query: ProjectionQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const projection = this.groups.projection(query.attributes, query.excludedAttributes);
    return withResourceHeaders(reply, await this.groups.replace(params.id, body, projection, this.urls.context(req)), false);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param() params: ResourceIdDto): Promise<void> {
    return this.groups.delete(params.id);
  }

  @Patch(':id')
  patch(): never {
    throw ScimException.notImplemented('PATCH is not supported yet');
  }

  @Post(':id')
  postToResource(@Req() req: FastifyRequest): never {
    throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'PUT', 'DELETE']);
  }

  @Put()
  putToCollection(@Req() req: FastifyRequest): never {
    throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'POST']);
  }

  @Delete()
  deleteCollection(@Req() req: FastifyRequest): never {
    throw ScimException.methodNotAllowed(req.method, req.url, ['GET', 'POST']);
  }
}
