import type { FastifyRequest } from 'fastify';

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;
const SCHEMES = new Set(['http', 'https']);

/** The first entry of a (possibly repeated, comma-separated) header: the client-facing proxy's view. */
function firstEntry(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value[0] : value;
  return joined?.split(',')[0]?.trim();
}

/** host[:port] with DNS labels or a bracketed IPv6 literal, and a port that exists. */
function validHost(host: string | undefined): host is string {
  if (typeof host !== 'string' || host.length > 255 || !HOST.test(host)) return false;
  const port = /:(\d+)$/.exec(host)?.[1];
  return port === undefined || Number(port) <= 65535;
}

/**
 * The absolute origin the client used, for Location and meta.location
 * (RFC 7644 §3.3). A configured public base URL wins; otherwise the request's
 * scheme and Host. X-Forwarded-Proto and X-Forwarded-Host count only with
 * TRUST_PROXY, and only when they are what they claim to be: `http` or `https`
 * (case-insensitive), and a valid host[:port]; anything else is ignored, so a
 * header cannot smuggle a URL into Location or the ServiceProviderConfig.
 */
export function requestOrigin(request: FastifyRequest, publicBaseUrl: string | undefined, trustProxy: boolean): string {
  if (publicBaseUrl) return publicBaseUrl;
  const socketScheme = (request.raw.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const forwardedProto = trustProxy ? firstEntry(request.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const scheme = forwardedProto && SCHEMES.has(forwardedProto) ? forwardedProto : socketScheme;
  const forwardedHost = trustProxy ? firstEntry(request.headers['x-forwarded-host']) : undefined;
  const host = validHost(forwardedHost) ? forwardedHost : request.headers.host;
  return `${scheme}://${validHost(host) ? host : 'localhost'}`;
}
