import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import {
  DEFAULT_DIRECTORY,
  SYSTEM_PRINCIPAL,
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

/** Builds the per-request ScimContext: base URL, request id, principal and directory. */
@Injectable()
export class ScimUrlService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  context(request: FastifyRequest): ScimContext {
    const origin = requestOrigin(request, this.config.publicBaseUrl, this.config.trustProxy);
    return {
      baseUrl: `${origin}${this.config.scimBasePath}`,
      requestId: String(request.id),
      principal: principalOf(request),
      directory: DEFAULT_DIRECTORY,
    };
  }
}
