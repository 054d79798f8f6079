import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DEFAULT_DIRECTORY } from '../common/http/scim-context.js';
import { AdminTokenOperations } from './admin-token-operations.js';
import { RequireScope } from './auth.decorators.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import { RotateTokenDto } from './dto/rotate-token.dto.js';
import { TokenIdDto } from './dto/token-id.dto.js';
import type { TokenView } from './token.mapper.js';
import type { IssuedToken } from './tokens.service.js';

const DEFAULT_ID = DEFAULT_DIRECTORY.id;

/** Token management of the default directory, outside the SCIM base path; needs the `admin` scope. */
@Controller('admin/tokens')
@RequireScope('admin')
export class AdminTokensController {
  constructor(private readonly tokens: AdminTokenOperations) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateTokenDto, @Req() req: FastifyRequest): Promise<IssuedToken> {
    return this.tokens.issue(DEFAULT_ID, body, req);
  }

  @Get()
  list(): Promise<{ tokens: TokenView[] }> {
    return this.tokens.list(DEFAULT_ID);
  }

  @Get(':id')
  get(@Param() params: TokenIdDto): Promise<TokenView> {
    return this.tokens.get(DEFAULT_ID, params.id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param() params: TokenIdDto, @Req() req: FastifyRequest): Promise<TokenView> {
    return this.tokens.revoke(DEFAULT_ID, params.id, req);
  }

  @Delete(':id')
  @HttpCode(200)
  remove(@Param() params: TokenIdDto, @Req() req: FastifyRequest): Promise<TokenView> {
    return this.tokens.revoke(DEFAULT_ID, params.id, req);
  }

  @Post(':id/rotate')
  @HttpCode(201)
  rotate(
    @Param() params: TokenIdDto,
    @Req() req: FastifyRequest,
    @Body() body: RotateTokenDto = {},
  ): Promise<IssuedToken> {
    return this.tokens.rotate(DEFAULT_ID, params.id, body?.graceSeconds ?? 0, req);
  }
}
