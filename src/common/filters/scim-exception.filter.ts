import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { bodyTooLarge } from '../../bulk/bulk-body-limit.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { toErrorBody } from '../../scim/errors/error-body.js';
import { SCIM_CONTENT_TYPE } from '../../scim/scim.constants.js';
import { discardRequestBody, LINGER_MAX_MS, lingerMaxBytes } from '../http/lingering-close.js';

interface ErrorWithCode {
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
}

/** What an error body is made of: a ScimException, or a status Fastify chose. */
type ErrorView = Pick<ScimException, 'status' | 'scimType' | 'detail' | 'headers'>;

function view(status: number, detail: string, scimType?: ScimException['scimType']): ErrorView {
  return { status, scimType, detail, headers: {} };
}

/** Fastify's own request errors, mapped to what RFC 7644 §3.12 and Table 9 name. */
function fromFastifyError(error: ErrorWithCode, request: FastifyRequest, bodyLimit: number): ErrorView | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ScimException.invalidSyntax('Request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(request, bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ScimException.unsupportedMediaType(String(request.headers['content-type'] ?? ''));
    case 'FST_ERR_BAD_URL':
      return ScimException.invalidSyntax('The request URL is not validly percent-encoded');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return view(414, 'A path segment of the request URL is too long');
    default:
      return fastifyStatusView(error);
  }
}

/** Any other Fastify error keeps the 4xx status Fastify gave it, with a fixed detail. */
function fastifyStatusView(error: ErrorWithCode): ErrorView | undefined {
  const status = Number(error.statusCode);
  if (typeof error.code !== 'string' || !error.code.startsWith('FST_')) return undefined;
  if (!Number.isInteger(status) || status < 400 || status >= 500) return undefined;
  return view(status, STATUS_CODES[status] ?? 'Bad request');
}

/** Nest's HTTP exceptions (404 route, 401 from passport, 403, 413, 503 from terminus, …) in SCIM dress. */
function fromHttpException(error: HttpException, request: FastifyRequest, bodyLimit: number): ErrorView | undefined {
  const status = error.getStatus();
  switch (status) {
    case 401:
      return ScimException.unauthorized();
    case 403:
      return ScimException.forbidden('The token does not grant access to this resource');
    case 404:
      return ScimException.routeNotFound(request.method, request.url.split('?')[0] ?? '/');
    case 413:
      return bodyTooLarge(request, bodyLimit);
    case 503:
      return ScimException.serviceUnavailable(unavailableDetail(error));
    default:
      if (status < 400 || status >= 500) return undefined;
      // Fastify's body-parser errors arrive here wrapped; their text names the wrong media type.
      return ScimException.invalidSyntax(
        /json/i.test(error.message) ? 'Request body is not valid JSON' : error.message,
      );
  }
}

/** Terminus reports failed health indicators under `error`; only their names are shown. */
function unavailableDetail(error: HttpException): string {
  const response = error.getResponse() as { error?: unknown };
  const failed =
    typeof response === 'object' && response?.error && typeof response.error === 'object'
      ? Object.keys(response.error)
      : [];
  return failed.length > 0 ? `Service unavailable: ${failed.join(', ')} check failed` : 'Service unavailable';
}

/** The RFC 7644 §3.12 body as sent. */
export function scimErrorBody(error: ErrorView): string {
  return JSON.stringify(toErrorBody(error));
}

/** For Fastify's `frameworkErrors`: URL errors raised before routing (bad percent-encoding, over-long parameters). */
export function frameworkErrorHandler(
  bodyLimit: number,
): (error: Error, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const mapped =
      fromFastifyError(error as ErrorWithCode, request, bodyLimit) ?? view(400, 'Bad request', 'invalidSyntax');
    send(request, reply, mapped, bodyLimit);
  };
}

function send(request: FastifyRequest, reply: FastifyReply, error: ErrorView, bodyLimit: number): void {
  const body = scimErrorBody(error);
  if (request.raw.complete || request.raw.destroyed) {
    for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
    void reply.status(error.status).header('content-type', SCIM_CONTENT_TYPE).send(body);
    return;
  }
  // The body is not read yet (401 before the body, 413): answer at once, then close only
  // after reading the rest of it, bounded (RFC 9112 §9.6). The reply is written here, so
  // the request id header the onSend hook would add is set here too.
  reply.hijack();
  const res = reply.raw;
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': SCIM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-request-id': String(request.id),
    connection: 'close',
  });
  res.write(body);
  void discardRequestBody(request.raw, lingerMaxBytes(bodyLimit), LINGER_MAX_MS).then(() => res.end());
}

/**
 * The one place error bodies are written. Every error leaves as an RFC 7644 §3.12
 * body (`status` as a string); anything unexpected is a 500 whose detail names
 * only the request id, while the cause goes to the log.
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScimExceptionFilter');

  constructor(private readonly bodyLimit: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const error = this.toErrorView(exception, request);
    // Only the unexpected is logged with its cause; deliberate answers (even 501/503) are not.
    if (error.status === 500 && !(exception instanceof ScimException)) {
      this.logger.error(`request ${request.id} failed: ${describe(exception)}`);
    }
    send(request, reply, error, this.bodyLimit);
  }

  private toErrorView(exception: unknown, request: FastifyRequest): ErrorView {
    if (exception instanceof ScimException) return exception;
    if (exception instanceof HttpException) {
      const mapped = fromHttpException(exception, request, this.bodyLimit);
      if (mapped) return mapped;
    } else if (typeof exception === 'object' && exception !== null) {
      const mapped = fromFastifyError(exception, request, this.bodyLimit);
      if (mapped) return mapped;
      const status = Number((exception as ErrorWithCode).statusCode);
      if (status === 400 && exception instanceof SyntaxError) {
        return ScimException.invalidSyntax('Request body is not valid JSON');
      }
    }
    return ScimException.internal(String(request.id));
  }
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
