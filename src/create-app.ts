import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { AppModule } from './app.module.js';
import { registerAuditFailureHooks } from './audit/audit-failure.hooks.js';
import { AuditFailures } from './audit/audit-failures.service.js';
import { bulkBodyLimit } from './bulk/bulk-body-limit.js';
import { registerAuthenticationHook } from './auth/authentication.hook.js';
import { TokensService } from './auth/tokens.service.js';
import { DirectoriesService } from './directories/directories.service.js';
import { authFailureLimit, registerRateLimitHooks } from './rate-limit/rate-limit.hook.js';
import { RateLimiterService } from './rate-limit/rate-limiter.service.js';
import { frameworkErrorHandler, ScimExceptionFilter } from './common/filters/scim-exception.filter.js';
import { endpointRewriter } from './common/http/endpoint-rewriter.js';
import { exceedsJsonDepth } from './common/http/json-depth.js';
import { ScimException } from './scim/errors/scim.exception.js';
import { endpointSegment } from './scim/schema/resource-type.definition.js';
import { extendSchemaSource, type SchemaSource } from './scim/schema/schema-catalog.js';
import type { LoadedConfiguration } from './config/config.module.js';
import type { MigrationClass } from './database/data-source.js';
import type { AppConfig, LogLevelName } from './config/app-config.js';
import { toErrorBody } from './scim/errors/error-body.js';
import { SCIM_CONTENT_TYPE, SCIM_MEDIA_TYPE } from './scim/scim.constants.js';

const LEVELS: LogLevelName[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function logLevels(level: LogLevelName): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/**
 * Errors Node's HTTP parser raises before any route runs (an oversized URL or
 * header block is 431) still leave as SCIM error bodies, not bare status lines.
 */
function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    toErrorBody({
      status,
      scimType: tooLarge ? undefined : 'invalidSyntax',
      detail: tooLarge ? 'Request URL or headers are too large' : 'Malformed HTTP request',
    }),
  );
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function createAdapter(config: AppConfig, source: SchemaSource): FastifyAdapter {
  return new FastifyAdapter({
    rewriteUrl: endpointRewriter(config.scimBasePath, source.resourceTypes),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    ...(config.tls
      ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } }
      : {}),
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    clientErrorHandler,
    // Bad percent-encoding and over-long path parameters fail before routing: SCIM bodies too.
    frameworkErrors: frameworkErrorHandler(config.bodyLimitBytes),
    return503OnClosing: true,
    // Entra and Microsoft's test collection call /Users/?filter=…
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: 'idle',
  });
}

const JSON_TYPES = /^application\/(scim\+)?json\s*(;|$)/i;

function hasBody(headers: IncomingMessage['headers']): boolean {
  return Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
}

/**
 * Requests under the SCIM base path and /admin are authenticated first, before any
 * body is read (src/auth/authentication.hook.ts), then charged to their rate budgets
 * (src/rate-limit/rate-limit.hook.ts). Bodies must be JSON (application/scim+json
 * or application/json, RFC 7644 §3.1, §3.8); anything else is 415 before a parser sees it.
 * Responses under the SCIM base path are application/scim+json (RFC 7644 §3.1, §8.1);
 * every response names its request id.
 */
function registerHooks(app: NestFastifyApplication, config: AppConfig, source: SchemaSource): void {
  const fastify = app.getHttpAdapter().getInstance();
  bulkBodyLimit(fastify, config.bulk.maxPayloadSize);
  const limiter = app.get(RateLimiterService);
  registerAuthenticationHook(
    fastify,
    app.get(TokensService),
    app.get(DirectoriesService),
    config,
    authFailureLimit(limiter, config),
  );
  registerRateLimitHooks(fastify, limiter, config);
  registerAuditFailureHooks(fastify, app.get(AuditFailures), {
    scimBasePath: config.scimBasePath,
    resourceTypes: new Map(source.resourceTypes.map((t) => [endpointSegment(t), t.name])),
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    const type = request.headers['content-type'];
    if (hasBody(request.headers) && !(typeof type === 'string' && JSON_TYPES.test(type))) {
      done(ScimException.unsupportedMediaType(String(type ?? 'none')));
      return;
    }
    done();
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    void reply.header('X-Request-Id', request.id);
    const type = reply.getHeader('content-type');
    if (
      typeof type === 'string' &&
      type.startsWith('application/json') &&
      request.url.startsWith(config.scimBasePath)
    ) {
      void reply.header('content-type', SCIM_CONTENT_TYPE);
    }
    return payload;
  });
}

export interface CreateAppOptions {
  readonly logger?: boolean;
  /** Schemas and resource types served besides the built-in ones (RFC 7643 §6: a resource type is data). */
  readonly schemas?: SchemaSource['schemas'];
  readonly resourceTypes?: SchemaSource['resourceTypes'];
  /** Migrations for those types' tables, run after the built-in ones: a definition and a migration make a type. */
  readonly migrations?: readonly MigrationClass[];
}

/**
 * Builds the application exactly as production runs it; main.ts and the e2e
 * tests share this, so tests exercise the real filter, pipe, guard and parsers.
 */
export async function createApp(
  loaded: LoadedConfiguration,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const { config } = loaded;
  const source = extendSchemaSource(options);
  const logger =
    options.logger === false
      ? false
      : new ConsoleLogger({ json: config.logJson, logLevels: logLevels(config.logLevel) });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(loaded, source, options.migrations),
    createAdapter(config, source),
    {
      logger,
      abortOnError: false,
    },
  );
  // Fastify's own JSON parser (with prototype-poisoning protection) for both JSON types.
  // An empty body is "no body", which the handler judges (POST /revoke needs none).
  const json = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser([SCIM_MEDIA_TYPE, 'application/json'], { bodyLimit: config.bodyLimitBytes }, (req, body, done) => {
    const text = body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    // Refused before parsing: the transformers that walk a parsed body recurse (MAX_JSON_DEPTH).
    if (exceedsJsonDepth(text, config.maxJsonDepth)) {
      return done(
        ScimException.invalidSyntax(
          `Request body is nested deeper than ${config.maxJsonDepth} levels (MAX_JSON_DEPTH)`,
        ),
        undefined,
      );
    }
    return json(req as Parameters<typeof json>[0], text, done);
  });
  app.useGlobalFilters(new ScimExceptionFilter(config.bodyLimitBytes));
  registerHooks(app, config, source);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
