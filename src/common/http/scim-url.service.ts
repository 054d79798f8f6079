import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DIRECTORIES_PREFIX } from './endpoint-rewriter.js';
import { requestDirectory } from './request-directory.js';
import {
  DEFAULT_DIRECTORY,
  SYSTEM_PRINCIPAL,
  type DirectoryRef,
  type RequestInfo,
  type RequestPrincipal,
  type ScimContext,
  type WorkContext,
} from './scim-context.js';
import { requestOrigin } from './request-url.js';

/** The principal the auth guard stored on the request (see ScimAuthGuard); none on public routes. */
function principalOf(request: FastifyRequest): RequestPrincipal {
  return (request as FastifyRequest & { readonly principal?: RequestPrincipal }).principal ?? SYSTEM_PRINCIPAL;
}

/** Longest path and User-Agent an audit row keeps: both are client text. */
const MAX_PATH_CHARS = 512;
const MAX_USER_AGENT_CHARS = 256;

/**
 * The HTTP facts an audit row keeps: the path as sent (before the directory prefix is
 * rewritten away) without its query string, which may carry filter values (PII, RFC 7644 §7.5.2).
 * `status` is the success status where it is not the method's usual one.
 */
export function requestInfo(request: FastifyRequest, status?: number): RequestInfo {
  const url = request.originalUrl;
  const query = url.indexOf('?');
  const agent = request.headers['user-agent'];
  return {
    method: request.method,
    path: (query >= 0 ? url.slice(0, query) : url).slice(0, MAX_PATH_CHARS),
    clientIp: request.ip,
    userAgent: typeof agent === 'string' ? agent.slice(0, MAX_USER_AGENT_CHARS) : null,
    ...(status !== undefined ? { status } : {}),
  };
}

/** The unit-of-work context of a request outside the SCIM endpoints (the admin API). */
export function workContextOf(request: FastifyRequest, status?: number): WorkContext {
  return {
    requestId: String(request.id),
    request: requestInfo(request, status),
    principal: principalOf(request),
    directory: DEFAULT_DIRECTORY,
  };
}

/** The path a directory's SCIM API is served at: SCIM_BASE_PATH, under `/directories/{slug}` unless default. */
export function directoryPath(scimBasePath: string, directory: Pick<DirectoryRef, 'id' | 'slug'>): string {
  return directory.id === DEFAULT_DIRECTORY.id ? scimBasePath : `${DIRECTORIES_PREFIX}${directory.slug}${scimBasePath}`;
}

/**
 * Builds the per-request ScimContext: base URL, request id, principal and directory. The
 * directory is the one the authentication hook resolved from the URL, so Location and
 * meta.location carry its `/directories/{slug}` prefix.
 */
@Injectable()
export class ScimUrlService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  context(request: FastifyRequest, status?: number): ScimContext {
    const origin = requestOrigin(request, this.config.publicBaseUrl, this.config.trustProxy);
    const directory = requestDirectory(request) ?? DEFAULT_DIRECTORY;
    return {
      baseUrl: `${origin}${directoryPath(this.config.scimBasePath, directory)}`,
      requestId: String(request.id),
      // Reads write no audit row: they are spared building one's facts.
      ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { request: requestInfo(request, status) }),
      principal: principalOf(request),
      directory,
    };
  }
}
