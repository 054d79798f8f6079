var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Catch, HttpException, Logger } from '@nestjs/common';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { MESSAGE_ERROR, SCIM_CONTENT_TYPE } from '../../scim/scim.constants.js';
/** Fastify's own request errors, mapped to what RFC 7644 §3.12 and Table 9 name. */
function fromFastifyError(error, request, bodyLimit) {
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
function fromHttpException(error, request) {
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
            return status >= 400 && status < 500 ? ScimException.invalidSyntax(error.message) : undefined;
    }
}
/**
 * The one place error bodies are written. Every error leaves as an RFC 7644 §3.12
 * body (`status` as a string); anything unexpected is a 500 whose detail names
 * only the request id, while the cause goes to the log.
 */
let ScimExceptionFilter = class ScimExceptionFilter {
    bodyLimit;
    logger = new Logger('ScimExceptionFilter');
    constructor(bodyLimit) {
        this.bodyLimit = bodyLimit;
    }
    catch(exception, host) {
        const ctx = host.switchToHttp();
        const request = ctx.getRequest();
        const reply = ctx.getResponse();
        const scim = this.toScimException(exception, request);
        if (scim.status >= 500) {
            this.logger.error(`request ${request.id} failed: ${describe(exception)}`);
        }
        const body = { schemas: [MESSAGE_ERROR], status: String(scim.status) };
        if (scim.scimType)
            body['scimType'] = scim.scimType;
        body['detail'] = scim.detail;
        for (const [name, value] of Object.entries(scim.headers))
            void reply.header(name, value);
        void reply.status(scim.status).header('content-type', SCIM_CONTENT_TYPE).send(JSON.stringify(body));
    }
    toScimException(exception, request) {
        if (exception instanceof ScimException)
            return exception;
        if (exception instanceof HttpException) {
            if (exception.getStatus() === 413)
                return ScimException.payloadTooLarge(this.bodyLimit);
            const mapped = fromHttpException(exception, request);
            if (mapped)
                return mapped;
        }
        else if (typeof exception === 'object' && exception !== null) {
            const mapped = fromFastifyError(exception, request, this.bodyLimit);
            if (mapped)
                return mapped;
            const status = Number(exception.statusCode);
            if (status === 400 && exception instanceof SyntaxError) {
                return ScimException.invalidSyntax('Request body is not valid JSON');
            }
        }
        return ScimException.internal(String(request.id));
    }
};
ScimExceptionFilter = __decorate([
    Catch(),
    __metadata("design:paramtypes", [Number])
], ScimExceptionFilter);
export { ScimExceptionFilter };
function describe(exception) {
    return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
//# sourceMappingURL=scim-exception.filter.js.map