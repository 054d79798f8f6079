import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { PUBLIC_KEY, SCOPE_KEY } from './auth.decorators.js';
import { authenticatedPrincipal } from './authentication.hook.js';
import { parseAuthorization } from './authorization-header.js';
import type { Scope } from './token-secret.js';
import type { Principal } from './tokens.service.js';

/** What the passport strategies see: the credential in canonical form and the hook's verdict. */
export interface AuthCarrier {
  headers: { authorization?: string };
  /** Set when the onRequest hook already verified this request's credential. */
  verified?: Principal;
  user?: Principal;
}

type GuardClass = new (reflector: Reflector, config: AppConfig) => CanActivate;

/**
 * Global guard: every route needs a valid token unless marked @Public, and the
 * token must carry the route's scope (`scim` unless @RequireScope says otherwise).
 * Only registered strategies are tried (Basic only with AUTH_BASIC_ENABLED); the
 * list is fixed per application, so the guard class is made per configuration.
 */
export function createScimAuthGuard(reflector: Reflector, config: AppConfig): CanActivate {
  const Guard = scimAuthGuardClass(config.authBasicEnabled ? ['bearer', 'basic'] : ['bearer']);
  return new Guard(reflector, config);
}

function scimAuthGuardClass(strategies: string[]): GuardClass {
  return class ScimAuthGuard extends AuthGuard(strategies) {
    constructor(
      private readonly reflector: Reflector,
      private readonly config: AppConfig,
    ) {
      super();
    }

    override async canActivate(context: ExecutionContext): Promise<boolean> {
      const targets = [context.getHandler(), context.getClass()];
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
      const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
      if (!this.config.authBasicEnabled && parseAuthorization(request.headers.authorization)?.scheme === 'basic') {
        throw ScimException.unauthorized('HTTP Basic authentication is not enabled; use a Bearer token');
      }
      await super.canActivate(context);
      const principal = this.getRequest(context).user;
      const required = this.reflector.getAllAndOverride<Scope>(SCOPE_KEY, targets) ?? 'scim';
      if (!principal?.scopes.has(required)) {
        throw ScimException.forbidden(`This token lacks the '${required}' scope`);
      }
      request.principal = principal;
      return true;
    }

    /**
     * The strategies get a synthetic request: the credential re-serialised from the
     * exact parse (RFC 7235), never the raw header, query string or body, so their own
     * looser parsing cannot accept a look-alike scheme and secrets stay out of URLs and logs.
     */
    override getRequest(context: ExecutionContext): AuthCarrier {
      const request = context.switchToHttp().getRequest<FastifyRequest & { authCarrier?: AuthCarrier }>();
      request.authCarrier ??= carrierFor(request);
      return request.authCarrier;
    }

    override handleRequest<T = Principal>(error: unknown, user: T | false): T {
      if (error instanceof ScimException) throw error;
      if (error || !user) throw ScimException.unauthorized('Missing, invalid, expired or revoked token');
      return user;
    }
  };
}

function carrierFor(request: FastifyRequest): AuthCarrier {
  const credential = parseAuthorization(request.headers.authorization);
  const verified = authenticatedPrincipal(request);
  let authorization: string | undefined;
  if (credential?.scheme === 'bearer') authorization = `Bearer ${credential.secret}`;
  if (credential?.scheme === 'basic')
    authorization = `Basic ${Buffer.from(`token:${credential.secret}`).toString('base64')}`;
  return { headers: authorization ? { authorization } : {}, ...(verified ? { verified } : {}) };
}
