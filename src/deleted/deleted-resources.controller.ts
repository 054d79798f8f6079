import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import type { ScimContext, WorkContext } from '../common/http/scim-context.js';
import { requestOrigin } from '../common/http/request-url.js';
import { directoryPath, workContextOf } from '../common/http/scim-url.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DirectoriesService } from '../directories/directories.service.js';
import { toRef } from '../directories/directory.types.js';
import { DirectoryIdDto } from '../directories/dto/directory.dto.js';
import { DeletedResourcesService, type DeletedPage } from './deleted-resources.service.js';
import { DeletedResourceParamsDto, ListDeletedQueryDto } from './dto/deleted-resources.dto.js';

const DEFAULT_PAGE = 100;

/**
 * Soft-deleted Users and Groups of a directory (deletionPolicy "soft"), outside the SCIM
 * base path, where they answer 404 (RFC 7644 §3.6): list, restore, purge now. Needs the
 * `admin` scope, server-wide or bound to the directory (the auth hook enforces it).
 */
@Controller('admin/directories/:id/deleted')
@RequireScope('admin')
export class DeletedResourcesController {
  constructor(
    private readonly deleted: DeletedResourcesService,
    private readonly directories: DirectoriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Newest first; `next` is the `after` of the following page, absent on the last. */
  @Get()
  async list(
    @Param() params: DirectoryIdDto,
    @Query() query: ListDeletedQueryDto,
    @Req() req: FastifyRequest,
  ): Promise<DeletedPage> {
    const ctx = await this.workContext(params.id, req);
    return this.deleted.list(ctx, query.resourceType, query.after, query.count ?? DEFAULT_PAGE);
  }

  /** 200 with the resource as GET shows it; 409 uniqueness when a live resource holds its userName meanwhile. */
  @Post(':resourceId/restore')
  @HttpCode(200)
  async restore(
    @Param() params: DeletedResourceParamsDto,
    @Req() req: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    const result = await this.deleted.restore(params.resourceId, await this.scimContext(params.id, req, 200));
    return result.resource;
  }

  @Delete(':resourceId')
  @HttpCode(204)
  async purge(@Param() params: DeletedResourceParamsDto, @Req() req: FastifyRequest): Promise<void> {
    await this.deleted.purge(params.resourceId, await this.workContext(params.id, req));
  }

  /** `status`: what a success answers where it is not the method's usual one (its audit row says it). */
  private async workContext(id: number, req: FastifyRequest, status?: number): Promise<WorkContext> {
    return { ...workContextOf(req, status), directory: toRef(await this.directories.get(id)) };
  }

  /** The restored resource's meta.location is in its directory's SCIM API. */
  private async scimContext(id: number, req: FastifyRequest, status?: number): Promise<ScimContext> {
    const ctx = await this.workContext(id, req, status);
    const origin = requestOrigin(req, this.config.publicBaseUrl, this.config.trustProxy);
    return { ...ctx, baseUrl: `${origin}${directoryPath(this.config.scimBasePath, ctx.directory)}` };
  }
}
