import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { workContextOf } from '../common/http/scim-url.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { RequireScope } from './auth.decorators.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import { RotateTokenDto } from './dto/rotate-token.dto.js';
import { TokenIdDto } from './dto/token-id.dto.js';
import type { TokenView } from './token.mapper.js';
import { TokensService, type IssuedToken } from './tokens.service.js';

/** Token management, outside the SCIM base path; needs the `admin` scope. */
@Controller('admin/tokens')
@RequireScope('admin')
export class AdminTokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateTokenDto, @Req() req: FastifyRequest): Promise<IssuedToken> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw ScimException.invalidValue('expiresAt must be in the future');
    }
    return this.tokens.issue(
      { name: body.name, scopes: body.scopes, ...(expiresAt ? { expiresAt } : {}) },
      workContextOf(req),
    );
  }

  @Get()
  async list(): Promise<{ tokens: TokenView[] }> {
    return { tokens: await this.tokens.list() };
  }

  @Get(':id')
  get(@Param() params: TokenIdDto): Promise<TokenView> {
    return this.tokens.get(params.id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param() params: TokenIdDto, @Req() req: FastifyRequest): Promise<TokenView> {
    return this.tokens.revoke(params.id, workContextOf(req));
  }

  @Delete(':id')
  @HttpCode(200)
  remove(@Param() params: TokenIdDto, @Req() req: FastifyRequest): Promise<TokenView> {
    return this.tokens.revoke(params.id, workContextOf(req));
  }

  @Post(':id/rotate')
  @HttpCode(201)
  rotate(
    @Param() params: TokenIdDto,
    @Req() req: FastifyRequest,
    @Body() body: RotateTokenDto = {},
  ): Promise<IssuedToken> {
    return this.tokens.rotate(params.id, body?.graceSeconds ?? 0, workContextOf(req));
  }
}
