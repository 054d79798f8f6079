import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { workContextOf } from '../common/http/scim-url.service.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { DirectoryIdDto, DirectorySchemaDto, SchemaChangeQueryDto } from './dto/schema-route.dto.js';
import { toExtensionJson, toExtensionList } from './extension.mapper.js';
import { ExtensionsService } from './extensions.service.js';

/**
 * A directory's custom extension schemas (RFC 7643 §3.3, §7), outside the SCIM base path;
 * needs the `admin` scope. The body is a §7 schema plus `resourceType` and `required`.
 */
@Controller('admin/directories/:id/schemas')
@RequireScope('admin')
export class ExtensionsController {
  constructor(private readonly extensions: ExtensionsService) {}

  @Post()
  @HttpCode(201)
  async register(
    @Param() params: DirectoryIdDto,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    const directory = await this.extensions.directory(params.id);
    const stored = await this.extensions.register(directory, body, workContextOf(req));
    return toExtensionJson(stored, directory.id);
  }

  @Get()
  async list(@Param() params: DirectoryIdDto): Promise<ListResponse> {
    const directory = await this.extensions.directory(params.id);
    return toExtensionList(await this.extensions.list(directory), directory.id);
  }

  @Get(':urn')
  async get(@Param() params: DirectorySchemaDto): Promise<Record<string, unknown>> {
    const directory = await this.extensions.directory(params.id);
    return toExtensionJson(await this.extensions.get(directory, params.urn), directory.id);
  }

  @Put(':urn')
  async replace(
    @Param() params: DirectorySchemaDto,
    @Query() query: SchemaChangeQueryDto,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    const directory = await this.extensions.directory(params.id);
    const allow = query.allowRemoval === true;
    const stored = await this.extensions.replace(directory, params.urn, body, allow, workContextOf(req));
    return toExtensionJson(stored, directory.id);
  }

  @Delete(':urn')
  @HttpCode(204)
  async remove(
    @Param() params: DirectorySchemaDto,
    @Query() query: SchemaChangeQueryDto,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    const directory = await this.extensions.directory(params.id);
    await this.extensions.remove(directory, params.urn, query.allowRemoval === true, workContextOf(req));
  }
}
