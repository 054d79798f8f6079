import type { IncomingMessage } from 'node:http';
import { endpointSegment, type ResourceTypeDefinition } from '../../scim/schema/resource-type.definition.js';

/** RFC 7644 §4: the discovery endpoints every server has, besides its resource endpoints. */
export const DISCOVERY_ENDPOINTS: readonly string[] = ['ServiceProviderConfig', 'ResourceTypes', 'Schemas'];

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Resource endpoint names are matched case-insensitively (`/scim/v2/users` is
 * `/Users`), as clients such as Microsoft's SCIM test collection expect; ids and
 * query strings are left exactly as sent. The names are the registered resource
 * types' endpoints and the discovery endpoints.
 */
export function endpointRewriter(
  basePath: string,
  resourceTypes: readonly Pick<ResourceTypeDefinition, 'endpoint'>[],
): (req: Pick<IncomingMessage, 'url'>) => string {
  const endpoints = [...resourceTypes.map(endpointSegment), ...DISCOVERY_ENDPOINTS];
  const names = endpoints.map(escapeRegExp).join('|');
  const pattern = new RegExp(`^(${escapeRegExp(basePath)}/)(${names})(?=[/?]|$)`, 'i');
  const canonical = new Map(endpoints.map((e) => [e.toLowerCase(), e]));
  return (req) => {
    const url = req.url ?? '/';
    return url.replace(
      pattern,
      (_m, prefix: string, name: string) => `${prefix}${canonical.get(name.toLowerCase()) ?? name}`,
    );
  };
}
