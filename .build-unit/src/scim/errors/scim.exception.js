import { SCIM_TYPE_STATUS } from './scim-type.js';
/**
 * The one error type of the server. Every failure a client should see is a
 * ScimException built by a named factory; the global filter renders it as an
 * RFC 7644 §3.12 body. `detail` is always safe to show to the client.
 */
export class ScimException extends Error {
    status;
    scimType;
    detail;
    headers;
    constructor(status, scimType, detail, headers = {}) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
        this.detail = detail;
        this.headers = headers;
        this.name = 'ScimException';
    }
    static typed(scimType, detail) {
        return new ScimException(SCIM_TYPE_STATUS[scimType], scimType, detail);
    }
    static invalidFilter(detail) {
        return ScimException.typed('invalidFilter', detail);
    }
    static invalidPath(detail) {
        return ScimException.typed('invalidPath', detail);
    }
    static noTarget(detail) {
        return ScimException.typed('noTarget', detail);
    }
    static invalidValue(detail) {
        return ScimException.typed('invalidValue', detail);
    }
    static invalidSyntax(detail) {
        return ScimException.typed('invalidSyntax', detail);
    }
    static mutability(detail) {
        return ScimException.typed('mutability', detail);
    }
    static uniqueness(detail) {
        return ScimException.typed('uniqueness', detail);
    }
    static tooMany(detail) {
        return ScimException.typed('tooMany', detail);
    }
    static sensitive(detail) {
        return ScimException.typed('sensitive', detail);
    }
    static invalidVers(detail) {
        return ScimException.typed('invalidVers', detail);
    }
    static invalidCursor(detail) {
        return ScimException.typed('invalidCursor', detail);
    }
    static expiredCursor(detail) {
        return ScimException.typed('expiredCursor', detail);
    }
    static invalidCount(detail) {
        return ScimException.typed('invalidCount', detail);
    }
    static notFound(resourceType, id) {
        return new ScimException(404, undefined, `${resourceType} ${id} not found`);
    }
    static routeNotFound(method, path) {
        return new ScimException(404, undefined, `No endpoint for ${method} ${path}`);
    }
    static unauthorized(detail = 'Authentication required') {
        // RFC 7644 §2 and RFC 6750 §3: every 401 names the scheme.
        return new ScimException(401, undefined, detail, {
            'WWW-Authenticate': 'Bearer realm="scim", error="invalid_token"',
        });
    }
    static forbidden(detail) {
        return new ScimException(403, undefined, detail);
    }
    static methodNotAllowed(method, path, allow) {
        return new ScimException(405, undefined, `${method} is not allowed on ${path}`, {
            Allow: allow.join(', '),
        });
    }
    static conflict(detail) {
        return new ScimException(409, undefined, detail);
    }
    static preconditionFailed(detail) {
        return new ScimException(412, undefined, detail);
    }
    static payloadTooLarge(limitBytes) {
        return new ScimException(413, undefined, `Request body exceeds the limit of ${limitBytes} bytes`);
    }
    static unsupportedMediaType(contentType) {
        return new ScimException(415, undefined, `Content-Type ${contentType} is not supported; send application/scim+json or application/json`);
    }
    static headersTooLarge() {
        return new ScimException(431, undefined, 'Request URL or headers are too large');
    }
    static tooManyRequests(retryAfterSeconds) {
        return new ScimException(429, undefined, 'Too many requests', {
            'Retry-After': String(retryAfterSeconds),
        });
    }
    static notImplemented(detail) {
        return new ScimException(501, undefined, detail);
    }
    static serviceUnavailable(detail) {
        return new ScimException(503, undefined, detail, { 'Retry-After': '1' });
    }
    /** The detail never carries the cause: it is logged with the request id instead. */
    static internal(requestId) {
        return new ScimException(500, undefined, `Internal server error (request id ${requestId})`);
    }
}
//# sourceMappingURL=scim.exception.js.map