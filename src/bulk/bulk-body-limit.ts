import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ScimException } from '../scim/errors/scim.exception.js';

/** Key in a Fastify route's config marking the Bulk route, whose body limit is maxPayloadSize. */
export const BULK_ROUTE_CONFIG = 'scimBulk';

function isBulkRoute(config: unknown): boolean {
  return (
    typeof config === 'object' && config !== null && (config as Record<string, unknown>)[BULK_ROUTE_CONFIG] === true
  );
}

/**
 * Gives the Bulk route maxPayloadSize as its own body limit (RFC 7644 §3.7.4), which may be
 * larger or smaller than BODY_LIMIT_BYTES: Fastify checks it against Content-Length and
 * against the bytes as they stream in, before anything is parsed. Registered before the
 * routes are (app.init()).
 */
export function bulkBodyLimit(fastify: FastifyInstance, maxPayloadSize: number): void {
  fastify.addHook('onRoute', (route) => {
    if (isBulkRoute(route.config)) route.bodyLimit = maxPayloadSize;
  });
}

/** The 413 of a body over its limit: on the Bulk route it names maxPayloadSize (§3.7.4 MUST). */
export function bodyTooLarge(request: FastifyRequest, bodyLimit: number): ScimException {
  if (!isBulkRoute(request.routeOptions?.config)) return ScimException.payloadTooLarge(bodyLimit);
  const limit = request.routeOptions.bodyLimit ?? bodyLimit;
  return ScimException.bulkLimit(`The size of the bulk operation exceeds the maxPayloadSize (${limit} bytes)`);
}
