/**
 * Who asked for a change: the API token of an authenticated request, or the server itself
 * (start-up, bootstrap, the CLI, background writes such as lastUsedAt).
 */
export interface RequestPrincipal {
  readonly kind: 'token' | 'system';
  /** The token's id; null for the system principal. */
  readonly tokenId: string | null;
  readonly tokenName: string;
  readonly scopes: ReadonlySet<string>;
}

export const SYSTEM_PRINCIPAL: RequestPrincipal = Object.freeze({
  kind: 'system',
  tokenId: null,
  tokenName: 'system',
  scopes: new Set<string>(),
});

/**
 * A directory's own compatibility settings; a setting left unset follows the server's
 * configuration (its environment variable), see effectiveSettings().
 */
export interface DirectorySettings {
  readonly patchLenient?: boolean;
  readonly groupPatchStatus?: 200 | 204;
  readonly unknownMembers?: 'reject' | 'ignore';
  readonly strictSchema?: boolean;
  /** DELETE of a User or Group: `hard` removes the row, `soft` keeps it hidden (see DELETION_POLICY). */
  readonly deletionPolicy?: 'hard' | 'soft';
  readonly groupDisplayNameUnique?: boolean;
  /** Requests per minute of all the directory's tokens together (0: none); unset follows DIRECTORY_RATE_LIMIT_PER_MINUTE. */
  readonly rateLimitPerMinute?: number;
}

/**
 * The directory (tenant) a request works in: an isolated SCIM namespace. `id` is the
 * directories row's integer key, the leading column of every scoped index; `slug` is
 * its immutable name in URLs (`/directories/{slug}/scim/v2`).
 */
export interface DirectoryRef {
  readonly id: number;
  readonly slug: string;
  readonly settings: DirectorySettings;
}

/** The directory that exists from the first start, served at SCIM_BASE_PATH. */
export const DEFAULT_DIRECTORY: DirectoryRef = Object.freeze({ id: 1, slug: 'default', settings: Object.freeze({}) });

/** The HTTP facts of a request an audit row keeps (src/audit/). */
export interface RequestInfo {
  readonly method: string;
  /** The path as the client sent it (its `/directories/{slug}` prefix included), without the query string. */
  readonly path: string;
  readonly clientIp: string;
  readonly userAgent: string | null;
  /** The status a success answers with, where it is not the method's usual one (POST 201, PUT/PATCH 200, DELETE 204). */
  readonly status?: number;
}

/**
 * What a unit of work needs to know about its request: who, in which directory, and an
 * outer unit of work to join (a later /Bulk runs several operations in one). The unit of
 * work is typed structurally here, so this file stays free of database imports.
 */
export interface WorkContext {
  readonly requestId: string;
  /** The HTTP request the work answers; absent for the server's own work. */
  readonly request?: RequestInfo;
  readonly principal: RequestPrincipal;
  readonly directory: DirectoryRef;
  /** When set, a service's writes join this unit of work instead of opening their own. */
  readonly unitOfWork?: object;
}

/** What a service needs to know about the request it answers, without knowing HTTP. */
export interface ScimContext extends WorkContext {
  /** Absolute base of the SCIM API, e.g. https://idp.example.com/scim/v2 */
  readonly baseUrl: string;
}

/** The context of work the server does on its own behalf (start-up, bootstrap, CLI). */
export function systemContext(requestId = 'system'): WorkContext {
  return { requestId, principal: SYSTEM_PRINCIPAL, directory: DEFAULT_DIRECTORY };
}

export interface ResourceResult {
  readonly resource: Record<string, unknown>;
  readonly location: string;
  readonly version: string;
}
