import type { FastifyReply } from 'fastify';
import type { ResourceResult } from './scim-context.js';

/** RFC 7644 §3.14 / RFC 7643 §3.1: ETag mirrors meta.version; Location on create. */
export function withResourceHeaders(
  reply: FastifyReply,
  result: ResourceResult,
  created: boolean,
): Record<string, unknown> {
  void reply.header('ETag', result.version);
  if (created) void reply.header('Location', result.location);
  return result.resource;
}
