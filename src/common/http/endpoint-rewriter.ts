import type { IncomingMessage } from 'node:http';
import { endpointSegment, type ResourceTypeDefinition } from '../../scim/schema/resource-type.definition.js';

/** RFC 7644 §4: the discovery endpoints every server has, besides its resource endpoints. */
export const DISCOVERY_ENDPOINTS: readonly string[] = ['ServiceProviderConfig', 'ResourceTypes', 'Schemas'];

/** The path prefix of a directory other than the default one: `/directories/{slug}` + SCIM_BASE_PATH. */
export const DIRECTORIES_PREFIX = '/directories/';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const slugs = new WeakMap<object, string>();

/**
 * The directory slug a request's URL named (`/directories/{slug}/scim/v2/...`), as sent;
 * undefined for a request to SCIM_BASE_PATH itself (the default directory) or outside it.
 * Set by the rewriter on the raw request; whether the slug names a directory is the auth hook's question.
 */
export function requestedDirectorySlug(raw: object): string | undefined {
  return slugs.get(raw);
}

/**
 * Runs before routing. A URL under `/directories/{slug}` + SCIM_BASE_PATH loses its
 * directory prefix (the slug is kept for the request, see requestedDirectorySlug), so
 * every directory is served by the one set of SCIM routes. Resource endpoint names are
 * then matched case-insensitively (`/scim/v2/users` is `/Users`), as clients such as
 * Microsoft's SCIM test collection expect; ids and query strings are left exactly as sent.
 * The names are the registered resource types' endpoints and the discovery endpoints.
 */
export function endpointRewriter(
  basePath: string,
  resourceTypes: readonly Pick<ResourceTypeDefinition, 'endpoint'>[],
): (req: Pick<IncomingMessage, 'url'>) => string {
  // RFC 7644 §3.11's /Me alias is an endpoint name too.
  const endpoints = [...resourceTypes.map(endpointSegment), ...DISCOVERY_ENDPOINTS, 'Me'];
  const names = endpoints.map(escapeRegExp).join('|');
  const pattern = new RegExp(`^(${escapeRegExp(basePath)}/)(${names})(?=[/?]|$)`, 'i');
  const prefixed = new RegExp(
    `^${escapeRegExp(DIRECTORIES_PREFIX)}([^/?#]{1,256})(?=${escapeRegExp(basePath)}(?:[/?]|$))`,
  );
  const canonical = new Map(endpoints.map((e) => [e.toLowerCase(), e]));
  return (req) => {
    let url = req.url ?? '/';
    const directory = prefixed.exec(url);
    if (directory) {
      slugs.set(req, directory[1]);
      url = url.slice(directory[0].length);
    }
    return url.replace(
      pattern,
      (_m, prefix: string, name: string) => `${prefix}${canonical.get(name.toLowerCase()) ?? name}`,
    );
  };
}
