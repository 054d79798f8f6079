import { SCIM_TYPE_STATUS, type ScimType } from './scim-type.js';

/**
 * The one error type of the server. Every failure a client should see is a
 * ScimException built by a named factory; the global filter renders it as an
 * RFC 7644 §3.12 body. `detail` is always safe to show to the client. The
 * factories declare `this: void`: they use no `this`, so they may be passed as values.
 */
export class ScimException extends Error {
  private constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ScimException';
  }

  private static typed(scimType: ScimType, detail: string): ScimException {
    return new ScimException(SCIM_TYPE_STATUS[scimType], scimType, detail);
  }

  static invalidFilter(this: void, detail: string): ScimException {
    return ScimException.typed('invalidFilter', detail);
  }
  static invalidPath(this: void, detail: string): ScimException {
    return ScimException.typed('invalidPath', detail);
  }
  static noTarget(this: void, detail: string): ScimException {
    return ScimException.typed('noTarget', detail);
  }
  static invalidValue(this: void, detail: string): ScimException {
    return ScimException.typed('invalidValue', detail);
  }
  static invalidSyntax(this: void, detail: string): ScimException {
    return ScimException.typed('invalidSyntax', detail);
  }
  static mutability(this: void, detail: string): ScimException {
    return ScimException.typed('mutability', detail);
  }
  static uniqueness(this: void, detail: string): ScimException {
    return ScimException.typed('uniqueness', detail);
  }
  static tooMany(this: void, detail: string): ScimException {
    return ScimException.typed('tooMany', detail);
  }
  static sensitive(this: void, detail: string): ScimException {
    return ScimException.typed('sensitive', detail);
  }
  static invalidVers(this: void, detail: string): ScimException {
    return ScimException.typed('invalidVers', detail);
  }
  static invalidCursor(this: void, detail: string): ScimException {
    return ScimException.typed('invalidCursor', detail);
  }
  static expiredCursor(this: void, detail: string): ScimException {
    return ScimException.typed('expiredCursor', detail);
  }
  static invalidCount(this: void, detail: string): ScimException {
    return ScimException.typed('invalidCount', detail);
  }

  static notFound(resourceType: string, id: string): ScimException {
    return new ScimException(404, undefined, `${resourceType} ${id} not found`);
  }
  static routeNotFound(method: string, path: string): ScimException {
    return new ScimException(404, undefined, `No endpoint for ${method} ${path}`);
  }
  static unauthorized(detail = 'Authentication required'): ScimException {
    // RFC 7644 §2 and RFC 6750 §3: every 401 names the scheme.
    return new ScimException(401, undefined, detail, {
      'WWW-Authenticate': 'Bearer realm="scim", error="invalid_token"',
    });
  }
  static forbidden(this: void, detail: string): ScimException {
    return new ScimException(403, undefined, detail);
  }
  static methodNotAllowed(method: string, path: string, allow: readonly string[]): ScimException {
    return new ScimException(405, undefined, `${method} is not allowed on ${path}`, {
      Allow: allow.join(', '),
    });
  }
  static conflict(this: void, detail: string): ScimException {
    return new ScimException(409, undefined, detail);
  }
  static preconditionFailed(this: void, detail: string): ScimException {
    return new ScimException(412, undefined, detail);
  }
  static payloadTooLarge(limitBytes: number): ScimException {
    return new ScimException(413, undefined, `Request body exceeds the limit of ${limitBytes} bytes`);
  }
  /** RFC 7644 §3.7.4: a Bulk request over maxOperations or maxPayloadSize; the detail names the limit. */
  static bulkLimit(this: void, detail: string): ScimException {
    return new ScimException(413, undefined, detail);
  }

  /** RFC 6585 §4 (RFC 9865 §5.3 recommends it for SCIM): a spent rate budget, with when to retry. */
  static tooManyRequests(this: void, retryAfterSeconds: number, detail: string): ScimException {
    return new ScimException(429, undefined, detail, { 'Retry-After': String(retryAfterSeconds) });
  }
  static unsupportedMediaType(contentType: string): ScimException {
    return new ScimException(
      415,
      undefined,
      `Content-Type ${contentType} is not supported; send application/scim+json or application/json`,
    );
  }
  /** RFC 7644 §3.12: 501, the service provider does not support the requested operation. */
  static notImplemented(this: void, detail: string): ScimException {
    return new ScimException(501, undefined, detail);
  }
  static serviceUnavailable(this: void, detail: string): ScimException {
    return new ScimException(503, undefined, detail, { 'Retry-After': '1' });
  }
  /** The detail never carries the cause: it is logged with the request id instead. */
  static internal(requestId: string): ScimException {
    return new ScimException(500, undefined, `Internal server error (request id ${requestId})`);
  }
}
