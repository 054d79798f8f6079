import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestedDirectorySlug } from '../common/http/endpoint-rewriter.js';
import { setRequestDirectory } from '../common/http/request-directory.js';
import { DEFAULT_DIRECTORY } from '../common/http/scim-context.js';
import type { AppConfig } from '../config/app-config.js';
import type { DirectoriesService } from '../directories/directories.service.js';
import { RESERVED_SLUGS } from '../directories/directory.types.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { adminMayManage, adminRouteDirectory } from './admin-directory-access.js';
import { PUBLIC_ROUTE_CONFIG } from './auth.decorators.js';
import { parseAuthorization } from './authorization-header.js';
import type { Principal, TokensService } from './tokens.service.js';

const authenticated = new WeakMap<object, Principal>();

/** One answer for a missing, unknown, expired or revoked token, a token of another directory and an unknown slug. */
const UNAUTHORIZED = 'Missing, invalid, expired or revoked token';

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
 * A SCIM request's directory: the one its URL names, which must be the token's. An unknown
 * or deleted slug and a token of another directory are 401 exactly like an unknown token,
 * so slugs cannot be enumerated; a disabled directory answers its own tokens 403.
 */
async function bindDirectory(
  request: FastifyRequest,
  principal: Principal,
  directories: DirectoriesService,
): Promise<void> {
  const slug = requestedDirectorySlug(request.raw);
  // The default directory has one URL, SCIM_BASE_PATH: `/directories/default` names nothing.
  const directory =
    slug === undefined
      ? await directories.resolveId(DEFAULT_DIRECTORY.id)
      : RESERVED_SLUGS.has(slug)
        ? null
        : await directories.resolveSlug(slug);
  if (!directory || directory.ref.id !== principal.directoryId) throw ScimException.unauthorized(UNAUTHORIZED);
  if (directory.disabled) {
    throw ScimException.forbidden(`Provisioning is disabled for directory '${directory.ref.slug}'`);
  }
  setRequestDirectory(request, directory.ref);
}

/**
 * An admin token bound to a directory manages that directory only: every route under
 * /admin/directories/:id for its own id, /admin/tokens when it is the default one's, 403
 * elsewhere. A token whose directory was deleted is refused like an unknown one.
 */
async function checkAdminAccess(
  request: FastifyRequest,
  principal: Principal,
  directories: DirectoriesService,
): Promise<void> {
  const route = request.routeOptions.url;
  if (route === undefined || !principal.scopes.has('admin') || principal.serverWide) return;
  if (!(await directories.resolveId(principal.directoryId))) throw ScimException.unauthorized(UNAUTHORIZED);
  const target = adminRouteDirectory(request.method, route, (request.params ?? {}) as Record<string, unknown>);
  if (!adminMayManage(principal, target)) {
    throw ScimException.forbidden('This admin token manages only its own directory');
  }
}

/**
 * Authenticates in Fastify's onRequest phase, before any body byte is read or
 * parsed, so an unauthenticated client cannot make the server parse megabytes
 * before its 401. Covers the SCIM base path (of every directory) and /admin, except
 * @Public routes of the default directory's path: under `/directories/{slug}` every
 * endpoint, discovery included, needs that directory's token. The global guard still
 * authorises (scopes) and reuses the principal stored here.
 */
export function registerAuthenticationHook(
  fastify: FastifyInstance,
  tokens: TokensService,
  directories: DirectoriesService,
  config: AppConfig,
  onUnauthorized?: (request: FastifyRequest) => Promise<void>,
): void {
  fastify.addHook('onRequest', async (request) => {
    // The matched route's pattern, so a percent-encoded path that routes to a protected
    // handler is judged by that handler; unmatched requests by their URL.
    const path = request.routeOptions.url ?? request.url;
    const scim = underPrefix(path, config.scimBasePath);
    if (!(scim || underPrefix(path, '/admin'))) return;
    if (isPublic(request) && requestedDirectorySlug(request.raw) === undefined) return;
    let principal: Principal;
    try {
      principal = await verifyCredential(request, tokens, config);
      if (scim) await bindDirectory(request, principal, directories);
      else await checkAdminAccess(request, principal, directories);
    } catch (error) {
      // A failed authentication may instead be refused as one too many (rate-limit.hook.ts).
      if (onUnauthorized && error instanceof ScimException && error.status === 401) await onUnauthorized(request);
      throw error;
    }
    checkUserBinding(request, principal, config.scimBasePath);
    authenticated.set(request, principal);
  });
}

async function verifyCredential(request: FastifyRequest, tokens: TokensService, config: AppConfig): Promise<Principal> {
  const credential = parseAuthorization(request.headers.authorization);
  if (credential?.scheme === 'basic' && !config.authBasicEnabled) {
    throw ScimException.unauthorized('HTTP Basic authentication is not enabled; use a Bearer token');
  }
  const principal = credential ? await tokens.verify(credential.secret) : null;
  if (!principal) throw ScimException.unauthorized(UNAUTHORIZED);
  return principal;
}

/** RFC 7644 §3.11: a token bound to a user acts as that user, through `/Me` only; anything else is 403. */
function checkUserBinding(request: FastifyRequest, principal: Principal, scimBasePath: string): void {
  if (principal.userId === null || request.routeOptions.url === `${scimBasePath}/Me`) return;
  throw ScimException.forbidden('This token is bound to a user and serves only /Me');
}
