import type { FastifyInstance, FastifyRequest } from 'fastify';
import { adminRouteDirectory } from '../auth/admin-directory-access.js';
import { authenticatedPrincipal } from '../auth/authentication.hook.js';
import { requestDirectory } from '../common/http/request-directory.js';
import { requestInfo } from '../common/http/scim-url.service.js';
import { isPlainObject } from '../scim/resource/scim-resource.js';
import type { AuditFailures } from './audit-failures.service.js';
import { AUTHENTICATE, type AuditEntry } from './audit.types.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_TEXT_CHARS = 256;
const MAX_DETAIL_CHARS = 512;

interface ErrorFacts {
  readonly status: number;
  readonly scimType: string | null;
  readonly detail: string | null;
}

/** Where the failure rows of a server's requests come from: its paths and resource types. */
export interface FailureSource {
  readonly scimBasePath: string;
  /** Endpoint segment (`Users`) to resource type name (`User`). */
  readonly resourceTypes: ReadonlyMap<string, string>;
}

const text = (value: unknown, max: number): string | null => (typeof value === 'string' ? value.slice(0, max) : null);

function underPrefix(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (path.length === prefix.length || '/?'.includes(path[prefix.length]));
}

function errorFacts(status: number, payload: unknown): ErrorFacts {
  try {
    const body: unknown = typeof payload === 'string' ? JSON.parse(payload) : undefined;
    if (!isPlainObject(body)) return { status, scimType: null, detail: null };
    return { status, scimType: text(body['scimType'], 32), detail: text(body['detail'], MAX_DETAIL_CHARS) };
  } catch {
    return { status, scimType: null, detail: null };
  }
}

/** The operation a failed request asked for: its method, or the action its path names. */
export function operationOf(method: string, path: string): string {
  if (method === 'DELETE' && /\/deleted\/[^/]+$/.test(path)) return 'purge';
  const action = /\/(revoke|rotate|disable|enable|restore)$/.exec(path)?.[1];
  if (action === 'disable' || action === 'enable') return 'replace';
  if (action) return action;
  return ({ POST: 'create', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method];
}

/** Resource type and id from the route: a SCIM endpoint, or the admin API's tokens, schemas, directories. */
function target(request: FastifyRequest, route: string, source: FailureSource): [string | null, string | null] {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const id = (key: string): string | null => text(params[key], 255);
  if (underPrefix(route, source.scimBasePath)) {
    const segment = route.slice(source.scimBasePath.length + 1).split('/')[0];
    return [source.resourceTypes.get(segment) ?? (segment || null), id('id')];
  }
  if (route.startsWith('/admin/tokens')) return ['Token', id('id')];
  if (/^\/admin\/directories\/:id\/tokens/.test(route)) return ['Token', id('tokenId')];
  if (/^\/admin\/directories\/:id\/schemas/.test(route)) return ['Schema', id('urn')];
  if (route.startsWith('/admin/directories')) return ['Directory', id('id')];
  return [null, null];
}

/** The directory a failed request named: the SCIM request's, or the directory an authenticated admin route manages. */
function directoryOf(request: FastifyRequest, route: string, admin: boolean): number | null {
  const resolved = requestDirectory(request);
  if (resolved) return resolved.id;
  if (!admin || !authenticatedPrincipal(request)) return null;
  const managed = adminRouteDirectory(request.method, route, (request.params ?? {}) as Record<string, unknown>);
  return typeof managed === 'number' && Number.isSafeInteger(managed) ? managed : null;
}

/** What the client sent as the resource's name: userName, displayName, a slug, a token's name. */
export function sentName(body: unknown): string | null {
  if (!isPlainObject(body)) return null;
  for (const key of ['userName', 'displayName', 'slug', 'name']) {
    const name = text(body[key], MAX_TEXT_CHARS);
    if (name) return name;
  }
  return null;
}

function baseEntry(request: FastifyRequest, status: number, facts: ErrorFacts): AuditEntry {
  const info = requestInfo(request);
  const principal = authenticatedPrincipal(request);
  return {
    directoryId: null,
    time: new Date().toISOString(),
    tokenId: principal?.tokenId ?? null,
    tokenName: principal?.tokenName ?? null,
    requestId: String(request.id),
    clientIp: info.clientIp,
    userAgent: info.userAgent,
    method: info.method,
    path: info.path,
    operation: AUTHENTICATE,
    resourceType: null,
    resourceId: null,
    resourceName: null,
    status,
    outcome: 'failure',
    scimType: facts.scimType,
    detail: facts.detail,
    changedAttributes: null,
    members: null,
  };
}

/** Queues the row of a failed request: a 401 adds to its client address's row of the minute. */
function record(failures: AuditFailures, source: FailureSource, request: FastifyRequest, facts: ErrorFacts): void {
  const status = facts.status;
  const path = request.routeOptions.url ?? request.url;
  const entry = baseEntry(request, status, facts);
  if (status === 401) {
    const minute = entry.time.slice(0, 16);
    const detail = `Failed authentication from ${entry.clientIp ?? 'unknown'} in ${minute}Z`;
    failures.addAggregated(`auth|${entry.clientIp ?? ''}|${minute}`, { ...entry, detail });
    return;
  }
  const [resourceType, resourceId] = target(request, path, source);
  failures.add({
    ...entry,
    directoryId: directoryOf(request, path, underPrefix(path, '/admin')),
    operation: operationOf(request.method, path),
    resourceType,
    resourceId,
    resourceName: sentName(request.body),
  });
}

/**
 * Records failed requests after their responses (RFC 7642 §3.3: operations on identity data
 * are logged, failed ones too): a mutating SCIM or admin request answered 4xx/5xx is one
 * row with its status, scimType and the name it sent; a 401 on any of those paths adds to
 * its client address's row of the minute. Reads that succeed cost nothing here: the
 * error body is looked at only for an error status, and nothing runs for a 2xx.
 */
export function registerAuditFailureHooks(
  fastify: FastifyInstance,
  failures: AuditFailures,
  source: FailureSource,
): void {
  if (!failures.enabled) return;
  const errors = new WeakMap<object, ErrorFacts>();
  const route = (request: FastifyRequest): string => request.routeOptions.url ?? request.url;
  const recorded = (request: FastifyRequest, status: number): boolean => {
    if (status < 400) return false;
    const path = route(request);
    if (!underPrefix(path, source.scimBasePath) && !underPrefix(path, '/admin')) return false;
    return status === 401 || (MUTATING.has(request.method) && !path.endsWith('/.search'));
  };
  // Callback hooks: a 2xx answer pays one comparison, not a promise.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (recorded(request, reply.statusCode)) errors.set(request, errorFacts(reply.statusCode, payload));
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    const facts = errors.get(request);
    if (facts) {
      try {
        record(failures, source, request, facts);
      } catch {
        // A row that cannot be built is not worth failing anything for.
      }
    }
    done();
  });
}
