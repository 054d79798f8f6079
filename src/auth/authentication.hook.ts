import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { PUBLIC_ROUTE_CONFIG } from './auth.decorators.js';
import { parseAuthorization } from './authorization-header.js';
import type { Principal, TokensService } from './tokens.service.js';

const authenticated = new WeakMap<object, Principal>();

/** The principal the onRequest hook verified for this request, if it ran. */
export function authenticatedPrincipal(request: object): Principal | undefined {
  return authenticated.get(request);
}

function underPrefix(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (path.length === prefix.length || '/?'.includes(path[prefix.length]));
}

function isPublic(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
  return config?.[PUBLIC_ROUTE_CONFIG] === true;
}

/**
 * Authenticates in Fastify's onRequest phase, before any body byte is read or
 * parsed, so an unauthenticated client cannot make the server parse megabytes
 * before its 401. Covers the SCIM base path and /admin, except @Public routes.
 * The global guard still authorises (scopes) and reuses the principal stored here.
 */
export function registerAuthenticationHook(fastify: FastifyInstance, tokens: TokensService, config: AppConfig): void {
  fastify.addHook('onRequest', async (request) => {
    // The matched route's pattern, so a percent-encoded path that routes to a protected
    // handler is judged by that handler; unmatched requests by their URL.
    const path = request.routeOptions.url ?? request.url;
    if (!(underPrefix(path, config.scimBasePath) || underPrefix(path, '/admin')) || isPublic(request)) return;
    const credential = parseAuthorization(request.headers.authorization);
    if (credential?.scheme === 'basic' && !config.authBasicEnabled) {
      throw ScimException.unauthorized('HTTP Basic authentication is not enabled; use a Bearer token');
    }
    const principal = credential ? await tokens.verify(credential.secret) : null;
    if (!principal) throw ScimException.unauthorized('Missing, invalid, expired or revoked token');
    authenticated.set(request, principal);
  });
}
