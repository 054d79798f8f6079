import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { workContextOf } from '../common/http/scim-url.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DirectoriesService } from './directories.service.js';
import { toDirectoryView, type DirectoryView } from './directory.mapper.js';
import {
  CreateDirectoryDto,
  DeleteDirectoryQueryDto,
  DirectoryIdDto,
  ListDirectoriesQueryDto,
  UpdateDirectoryDto,
} from './dto/directory.dto.js';

const DEFAULT_PAGE = 100;

/**
 * Directory management, outside the SCIM base path; needs the `admin` scope. Creating and
 * listing need a server-wide admin token; the routes of one directory also accept an admin
 * token bound to it (enforced for every /admin/directories/:id route by the auth hook).
 */
@Controller('admin/directories')
@RequireScope('admin')
export class DirectoriesController {
  constructor(
    private readonly directories: DirectoriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: CreateDirectoryDto, @Req() req: FastifyRequest): Promise<DirectoryView> {
    return this.view(await this.directories.create(body, workContextOf(req)));
  }

  /** A page in id order; `next` is the `after` of the following page, absent on the last. */
  @Get()
  async list(@Query() query: ListDirectoriesQueryDto): Promise<{ directories: DirectoryView[]; next?: number }> {
    const count = query.count ?? DEFAULT_PAGE;
    const page = await this.directories.list(query.after ?? 0, count + 1);
    const shown = page.slice(0, count);
    return {
      directories: shown.map((d) => this.view(d)),
      ...(page.length > count ? { next: shown[shown.length - 1].id } : {}),
    };
  }

  @Get(':id')
  async get(@Param() params: DirectoryIdDto): Promise<DirectoryView> {
    return this.view(await this.directories.get(params.id));
  }

  @Patch(':id')
  async update(
    @Param() params: DirectoryIdDto,
    @Body() body: UpdateDirectoryDto,
    @Req() req: FastifyRequest,
  ): Promise<DirectoryView> {
    return this.view(await this.directories.update(params.id, body, workContextOf(req)));
  }

  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Param() params: DirectoryIdDto, @Req() req: FastifyRequest): Promise<DirectoryView> {
    return this.view(await this.directories.setDisabled(params.id, true, workContextOf(req, 200)));
  }

  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Param() params: DirectoryIdDto, @Req() req: FastifyRequest): Promise<DirectoryView> {
    return this.view(await this.directories.setDisabled(params.id, false, workContextOf(req, 200)));
  }

  /** 204 for an empty directory; 202 with `?purge=true`: its rows are deleted in the background. */
  @Delete(':id')
  async remove(
    @Param() params: DirectoryIdDto,
    @Query() query: DeleteDirectoryQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.directories.delete(
      params.id,
      query.purge === true,
      workContextOf(req, query.purge === true ? 202 : 204),
    );
    void reply.status(query.purge === true ? 202 : 204);
  }

  private view(record: Parameters<typeof toDirectoryView>[0]): DirectoryView {
    return toDirectoryView(record, this.config);
  }
}
