import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { MESSAGE_ERROR, SCIM_CONTENT_TYPE } from '../../scim/scim.constants.js';

interface ErrorWithCode {
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
}

/** Fastify's own request errors, mapped to what RFC 7644 §3.12 and Table 9 name. */
function fromFastifyError(error: ErrorWithCode, request: FastifyRequest, bodyLimit: number): ScimException | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ScimException.invalidSyntax('Request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ScimException.payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ScimException.unsupportedMediaType(String(request.headers['content-type'] ?? ''));
    default:
      return undefined;
  }
}

/** Nest's HTTP exceptions (404 route, 401 from passport, 403, 413, …) in SCIM dress. */
function fromHttpException(error: HttpException, request: FastifyRequest): ScimException | undefined {
  const status = error.getStatus();
  switch (status) {
    case 401:
      return ScimException.unauthorized();
    case 403:
      return ScimException.forbidden('The token does not grant access to this resource');
    case 404:
      return ScimException.routeNotFound(request.method, request.url.split('?')[0] ?? '/');
    case 413:
      return undefined;
    default:
      if (status < 400 || status >= 500) return undefined;
      // Fastify's body-parser errors arrive here wrapped; their text names the wrong media type.
      return ScimException.invalidSyntax(/json/i.test(error.message) ? 'Request body is not valid JSON' : error.message);
  }
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
    const scim = this.toScimException(exception, request);
    // Only the unexpected is logged with its cause; deliberate SCIM errors (even 501/503) are answers.
    if (!(exception instanceof ScimException) && scim.status >= 500) {
      this.logger.error(`request ${request.id} failed: ${describe(exception)}`);
    }
    const body: Record<string, unknown> = { schemas: [MESSAGE_ERROR], status: String(scim.status) };
    if (scim.scimType) body['scimType'] = scim.scimType;
    body['detail'] = scim.detail;
    for (const [name, value] of Object.entries(scim.headers)) void reply.header(name, value);
    void reply.status(scim.status).header('content-type', SCIM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toScimException(exception: unknown, request: FastifyRequest): ScimException {
    if (exception instanceof ScimException) return exception;
    if (exception instanceof HttpException) {
      if (exception.getStatus() === 413) return ScimException.payloadTooLarge(this.bodyLimit);
      const mapped = fromHttpException(exception, request);
      if (mapped) return mapped;
    } else if (typeof exception === 'object' && exception !== null) {
      const mapped = fromFastifyError(exception as ErrorWithCode, request, this.bodyLimit);
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
