const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
/**
 * The absolute origin the client used, for Location and meta.location
 * (RFC 7644 §3.3). A configured public base URL wins; otherwise the request's
 * scheme and Host, where Fastify honours X-Forwarded-* only when trustProxy is on.
 */
export function requestOrigin(request, publicBaseUrl) {
    if (publicBaseUrl)
        return publicBaseUrl;
    const host = request.host;
    const safeHost = typeof host === 'string' && HOST.test(host) ? host : 'localhost';
    return `${request.protocol}://${safeHost}`;
}
//# sourceMappingURL=request-url.js.map