import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { workContextOf } from '../common/http/scim-url.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { CreateTokenDto } from './dto/create-token.dto.js';
import { authenticatedPrincipal } from './authentication.hook.js';
import type { TokenView } from './token.mapper.js';
import { TokensService, type IssuedToken } from './tokens.service.js';

/**
 * The token operations of the admin API for one directory, shared by /admin/tokens (the
 * default directory) and /admin/directories/:id/tokens. A token of another directory is
 * 404 here, as if it did not exist.
 */
@Injectable()
export class AdminTokenOperations {
  constructor(private readonly tokens: TokensService) {}

  issue(directoryId: number, body: CreateTokenDto, req: FastifyRequest): Promise<IssuedToken> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw ScimException.invalidValue('expiresAt must be in the future');
    }
    if (body.serverWide === true && authenticatedPrincipal(req)?.serverWide !== true) {
      throw ScimException.forbidden('Only a server-wide admin token can issue a server-wide token');
    }
    if (body.serverWide === true && !body.scopes.includes('admin')) {
      throw ScimException.invalidValue("serverWide needs the 'admin' scope");
    }
    return this.tokens.issue(
      {
        name: body.name,
        scopes: body.scopes,
        directoryId,
        serverWide: body.serverWide === true,
        ...(expiresAt ? { expiresAt } : {}),
        ...(body.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: body.rateLimitPerMinute } : {}),
        ...(body.userId !== undefined ? { userId: body.userId } : {}),
      },
      workContextOf(req),
    );
  }

  async list(directoryId: number): Promise<{ tokens: TokenView[] }> {
    return { tokens: await this.tokens.list(directoryId) };
  }

  get(directoryId: number, id: string): Promise<TokenView> {
    return this.tokens.get(id, directoryId);
  }

  revoke(directoryId: number, id: string, req: FastifyRequest): Promise<TokenView> {
    return this.tokens.revoke(id, workContextOf(req, 200), directoryId);
  }

  rotate(directoryId: number, id: string, graceSeconds: number, req: FastifyRequest): Promise<IssuedToken> {
    return this.tokens.rotate(id, graceSeconds, workContextOf(req), directoryId);
  }
}
