import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { requestDirectory } from '../common/http/request-directory.js';
import { DEFAULT_DIRECTORY } from '../common/http/scim-context.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';

/**
 * Brings the request's directory registry up to date before the handler runs, so what the
 * controllers parse synchronously (projection, discovery) sees the directory's current
 * extensions. Synchronous while the registry is fresh (most requests: a map lookup); a
 * version read at most every SCHEMA_REFRESH_MS.
 */
@Injectable()
export class SchemaFreshnessInterceptor implements NestInterceptor {
  constructor(private readonly catalog: SchemaCatalog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const current = this.catalog.current(requestDirectory(request) ?? DEFAULT_DIRECTORY);
    if (!(current instanceof Promise)) return next.handle();
    return current.then(
      () => next.handle(),
      // The database did not answer: the handler meets the same failure and reports it as
      // it does (a 503 from /health); services and discovery await current() themselves.
      () => next.handle(),
    );
  }
}
