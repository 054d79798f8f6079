import { DEFAULT_DIRECTORY } from '../common/http/scim-context.js';

const DIRECTORY_ROUTE = /^\/admin\/directories\/:([A-Za-z0-9_]+)(?=\/|$)/;

/**
 * Which directory an admin route manages, from its route pattern: the `:id` of every
 * `/admin/directories/:id/...` route (whoever registers it), the default directory for
 * /admin/tokens, and `server` for everything else (creating and listing directories,
 * deleting one, any other admin route), which only a server-wide admin token may use.
 */
export function adminRouteDirectory(
  method: string,
  routeUrl: string,
  params: Readonly<Record<string, unknown>>,
): number | 'server' {
  if (routeUrl === '/admin/tokens' || routeUrl.startsWith('/admin/tokens/')) return DEFAULT_DIRECTORY.id;
  const match = DIRECTORY_ROUTE.exec(routeUrl);
  if (!match) return 'server';
  // Deleting a directory removes the token that would ask: server-wide only.
  if (method === 'DELETE' && routeUrl.length === match[0].length) return 'server';
  const raw = params[match[1]];
  return typeof raw === 'string' && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : Number.NaN;
}

/** Whether an admin token (its directory, whether server-wide) may use a route that manages `target`. */
export function adminMayManage(
  principal: { readonly directoryId: number; readonly serverWide: boolean },
  target: number | 'server',
): boolean {
  if (principal.serverWide) return true;
  return target !== 'server' && target === principal.directoryId;
}
