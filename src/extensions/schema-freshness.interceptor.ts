import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { ScimUrlService } from '../common/http/scim-url.service.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';

/**
 * Brings the request's directory registry up to date before the handler runs, so what the
 * controllers parse synchronously (projection, discovery) sees the directory's current
 * extensions. Costs a map lookup, and a version read at most every SCHEMA_REFRESH_MS.
 */
@Injectable()
export class SchemaFreshnessInterceptor implements NestInterceptor {
  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly urls: ScimUrlService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      try {
        await this.catalog.current(this.urls.context(request).directory);
      } catch {
        // The database did not answer: the handler meets the same failure and reports it as
        // it does (a 503 from /health); services and discovery await current() themselves.
      }
    }
    return next.handle();
  }
}
