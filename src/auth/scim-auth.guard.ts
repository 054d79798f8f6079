import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { PUBLIC_KEY, SCOPE_KEY } from './auth.decorators.js';
import type { Scope } from './token-secret.js';
import type { Principal } from './tokens.service.js';

interface AuthCarrier {
  headers: { authorization?: string };
  user?: Principal;
}

/**
 * Global guard: every route needs a valid token unless marked @Public, and the
 * token must carry the route's scope (`scim` unless @RequireScope says otherwise).
 * Basic is tried only when AUTH_BASIC_ENABLED is on.
 */
@Injectable()
export class ScimAuthGuard extends AuthGuard(['bearer', 'basic']) {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const basic = /^basic\s/i.test(header);
    if (basic && !this.config.authBasicEnabled) {
      throw ScimException.unauthorized('HTTP Basic authentication is not enabled; use a Bearer token');
    }
    await super.canActivate(context);
    const principal = this.getRequest(context).user;
    const required = this.reflector.getAllAndOverride<Scope>(SCOPE_KEY, targets) ?? 'scim';
    if (!principal?.scopes.has(required)) {
      throw ScimException.forbidden(`This token lacks the '${required}' scope`);
    }
    context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>().principal = principal;
    return true;
  }

  /**
   * passport-http-bearer also reads tokens from the query string and the body;
   * handing it only the Authorization header keeps secrets out of URLs and logs.
   */
  override getRequest(context: ExecutionContext): AuthCarrier {
    const request = context.switchToHttp().getRequest<FastifyRequest & { authCarrier?: AuthCarrier }>();
    request.authCarrier ??= { headers: { authorization: request.headers.authorization } };
    return request.authCarrier;
  }

  override handleRequest<T = Principal>(error: unknown, user: T | false): T {
    if (error instanceof ScimException) throw error;
    if (error || !user) throw ScimException.unauthorized('Missing, invalid, expired or revoked token');
    return user;
  }
}
