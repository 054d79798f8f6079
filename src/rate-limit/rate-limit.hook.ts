import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticatedPrincipal } from '../auth/authentication.hook.js';
import type { Principal } from '../auth/tokens.service.js';
import { requestDirectory } from '../common/http/request-directory.js';
import type { AppConfig } from '../config/app-config.js';
import { effectiveSettings } from '../directories/effective-settings.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { requestCost } from './bulk-cost.js';
import type { Bucket } from './gcra.js';
import type { RateLimiterService } from './rate-limiter.service.js';

/** The budgets an authenticated request draws on: its token's, and its directory's total when one is set. */
function bucketsOf(request: FastifyRequest, principal: Principal, config: AppConfig): Bucket[] {
  const buckets: Bucket[] = [];
  const perToken = principal.rateLimitPerMinute ?? config.rateLimits.perToken;
  if (perToken > 0) buckets.push({ key: `t:${principal.tokenId}`, limitPerMinute: perToken });
  const directory = requestDirectory(request);
  const perDirectory = directory ? effectiveSettings(config, directory).rateLimitPerMinute : 0;
  if (directory && perDirectory > 0) buckets.push({ key: `d:${directory.id}`, limitPerMinute: perDirectory });
  return buckets;
}

async function charge(limiter: RateLimiterService, buckets: readonly Bucket[], cost: number): Promise<void> {
  const decision = await limiter.take(buckets, cost);
  if (decision.allowed) return;
  throw ScimException.tooManyRequests(
    decision.retryAfterSeconds,
    `Rate limit exceeded (the token's or its directory's requests per minute); retry after ${decision.retryAfterSeconds} s`,
  );
}

/**
 * Per-token and per-directory budgets, in Fastify hooks rather than @nestjs/throttler's
 * ThrottlerGuard: a guard runs after the body is read and parsed, so a client over its
 * budget would still make the server read and parse its body, and it cannot charge a cost
 * per request; the budgets are the throttler's storage interface instead (budget-store.ts).
 * onRequest (after the authentication hook, before any body byte) charges 1; a /Bulk POST
 * is charged the rest of its cost, one per operation, once its body is parsed.
 */
export function registerRateLimitHooks(fastify: FastifyInstance, limiter: RateLimiterService, config: AppConfig): void {
  fastify.addHook('onRequest', async (request) => {
    const principal = authenticatedPrincipal(request);
    if (principal) await charge(limiter, bucketsOf(request, principal, config), 1);
  });
  fastify.addHook('preHandler', async (request) => {
    const principal = authenticatedPrincipal(request);
    if (!principal) return;
    const path = request.routeOptions.url ?? request.url.split('?')[0];
    const extra = requestCost(request.method, path, request.body) - 1;
    if (extra <= 0) return;
    const buckets = bucketsOf(request, principal, config);
    // A budget refills up to one minute's worth: a request costing more could never pass,
    // so a Retry-After would have the client retry forever. Say how to split it instead.
    const smallest = Math.min(...buckets.map((b) => b.limitPerMinute));
    if (extra + 1 > smallest) {
      throw ScimException.bulkLimit(
        `This Bulk request has ${extra + 1} operations, more than the ${smallest} per minute its token or directory may run; split it into requests of at most ${smallest} operations`,
      );
    }
    await charge(limiter, buckets, extra);
  });
}

/**
 * The client address failures are counted by: the socket's, or with TRUST_PROXY the last
 * X-Forwarded-For entry, the one the nearest (trusted) proxy wrote. Earlier entries come
 * from the client itself, so counting by them (Fastify's request.ip) would let a client
 * escape the limit by sending a new X-Forwarded-For with every attempt.
 */
export function clientAddress(request: FastifyRequest, trustProxy: boolean): string {
  const socket = request.raw.socket.remoteAddress ?? request.ip;
  if (!trustProxy) return socket;
  const forwarded = request.headers['x-forwarded-for'];
  const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
  const nearest = list[list.length - 1]?.trim();
  return nearest ? nearest.slice(0, 64) : socket;
}

/**
 * Failed authentication from one client address (clientAddress) is limited to AUTH_FAILURE_LIMIT_PER_MINUTE; beyond it
 * the answer is 429 with Retry-After instead of 401, which holds no socket open. Only
 * requests that already failed authentication are counted or refused, so a valid token is
 * never slowed by another client's failures from the same address, and a valid request
 * pays nothing for this check.
 */
export function authFailureLimit(
  limiter: RateLimiterService,
  config: AppConfig,
): ((request: FastifyRequest) => Promise<void>) | undefined {
  const limit = config.rateLimits.authFailures;
  if (limit <= 0) return undefined;
  return async (request) => {
    const key = `a:${clientAddress(request, config.trustProxy)}`;
    const decision = await limiter.take([{ key, limitPerMinute: limit }], 1);
    if (decision.allowed) return;
    throw ScimException.tooManyRequests(
      decision.retryAfterSeconds,
      `Too many failed authentications from this address; retry after ${decision.retryAfterSeconds} s`,
    );
  };
}
