import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { ScimContext } from './scim-context.js';
import { requestOrigin } from './request-url.js';

/** Builds the per-request ScimContext: the absolute SCIM base URL and the request id. */
@Injectable()
export class ScimUrlService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  context(request: FastifyRequest): ScimContext {
    const origin = requestOrigin(request, this.config.publicBaseUrl, this.config.trustProxy);
    return { baseUrl: `${origin}${this.config.scimBasePath}`, requestId: String(request.id) };
  }
}
