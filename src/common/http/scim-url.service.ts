import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DIRECTORIES_PREFIX } from './endpoint-rewriter.js';
import { requestDirectory } from './request-directory.js';
import {
  DEFAULT_DIRECTORY,
  SYSTEM_PRINCIPAL,
  type DirectoryRef,
  type RequestPrincipal,
  type ScimContext,
  type WorkContext,
} from './scim-context.js';
import { requestOrigin } from './request-url.js';

/** The principal the auth guard stored on the request (see ScimAuthGuard); none on public routes. */
function principalOf(request: FastifyRequest): RequestPrincipal {
  return (request as FastifyRequest & { readonly principal?: RequestPrincipal }).principal ?? SYSTEM_PRINCIPAL;
}

/** The unit-of-work context of a request outside the SCIM endpoints (the admin API). */
export function workContextOf(request: FastifyRequest): WorkContext {
  return { requestId: String(request.id), principal: principalOf(request), directory: DEFAULT_DIRECTORY };
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

  context(request: FastifyRequest): ScimContext {
    const origin = requestOrigin(request, this.config.publicBaseUrl, this.config.trustProxy);
    const directory = requestDirectory(request) ?? DEFAULT_DIRECTORY;
    return {
      baseUrl: `${origin}${directoryPath(this.config.scimBasePath, directory)}`,
      requestId: String(request.id),
      principal: principalOf(request),
      directory,
    };
  }
}
