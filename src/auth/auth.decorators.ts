import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { Scope } from './token-secret.js';

export const PUBLIC_KEY = 'auth:public';
export const SCOPE_KEY = 'auth:scope';
/** Key in the Fastify route config that tells the onRequest authentication hook a route is public. */
export const PUBLIC_ROUTE_CONFIG = 'scimPublic';

/**
 * The route needs no token (health, ServiceProviderConfig per RFC 7643 §5). Method-only:
 * the onRequest hook sees it through the Fastify route config, which Nest fills per handler.
 */
export const Public = (): MethodDecorator =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), RouteConfig({ [PUBLIC_ROUTE_CONFIG]: true }));

/** The scope a token must carry; routes without this decorator need `scim`. */
export const RequireScope = (scope: Scope): MethodDecorator & ClassDecorator => SetMetadata(SCOPE_KEY, scope);
