import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminTokenOperations } from '../auth/admin-token-operations.js';
import { RequireScope } from '../auth/auth.decorators.js';
import { CreateTokenDto } from '../auth/dto/create-token.dto.js';
import { RotateTokenDto } from '../auth/dto/rotate-token.dto.js';
import type { TokenView } from '../auth/token.mapper.js';
import type { IssuedToken } from '../auth/tokens.service.js';
import { DirectoriesService } from './directories.service.js';
import { DirectoryIdDto } from './dto/directory.dto.js';
import { DirectoryTokenParamsDto } from './dto/directory-token.dto.js';

/** The tokens of one directory: the operations of /admin/tokens, for the directory :id (404 when there is none). */
@Controller('admin/directories/:id/tokens')
@RequireScope('admin')
export class DirectoryTokensController {
  constructor(
    private readonly tokens: AdminTokenOperations,
    private readonly directories: DirectoriesService,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @Param() params: DirectoryIdDto,
    @Body() body: CreateTokenDto,
    @Req() req: FastifyRequest,
  ): Promise<IssuedToken> {
    return this.tokens.issue(await this.live(params.id), body, req);
  }

  @Get()
  async list(@Param() params: DirectoryIdDto): Promise<{ tokens: TokenView[] }> {
    return this.tokens.list(await this.live(params.id));
  }

  @Get(':tokenId')
  async get(@Param() params: DirectoryTokenParamsDto): Promise<TokenView> {
    return this.tokens.get(await this.live(params.id), params.tokenId);
  }

  @Post(':tokenId/revoke')
  @HttpCode(200)
  async revoke(@Param() params: DirectoryTokenParamsDto, @Req() req: FastifyRequest): Promise<TokenView> {
    return this.tokens.revoke(await this.live(params.id), params.tokenId, req);
  }

  @Delete(':tokenId')
  @HttpCode(200)
  async remove(@Param() params: DirectoryTokenParamsDto, @Req() req: FastifyRequest): Promise<TokenView> {
    return this.tokens.revoke(await this.live(params.id), params.tokenId, req);
  }

  @Post(':tokenId/rotate')
  @HttpCode(201)
  async rotate(
    @Param() params: DirectoryTokenParamsDto,
    @Req() req: FastifyRequest,
    @Body() body: RotateTokenDto = {},
  ): Promise<IssuedToken> {
    return this.tokens.rotate(await this.live(params.id), params.tokenId, body?.graceSeconds ?? 0, req);
  }

  private async live(id: number): Promise<number> {
    return (await this.directories.get(id)).id;
  }
}
