/** The directory (tenant) a request works in; for now every request works in DEFAULT_DIRECTORY. */
export interface DirectoryRef {
  readonly id: string;
}

export const DEFAULT_DIRECTORY: DirectoryRef = Object.freeze({ id: 'default' });

/** What a service needs to know about the request it answers, without knowing HTTP. */
export interface ScimContext {
  /** Absolute base of the SCIM API, e.g. https://idp.example.com/scim/v2 */
  readonly baseUrl: string;
  readonly requestId: string;
  /** The directory whose schemas and resources the request sees; DEFAULT_DIRECTORY when absent. */
  readonly directory?: DirectoryRef;
}

/** The directory a request works in. */
export function directoryOf(ctx: Pick<ScimContext, 'directory'>): DirectoryRef {
  return ctx.directory ?? DEFAULT_DIRECTORY;
}

export interface ResourceResult {
  readonly resource: Record<string, unknown>;
  readonly location: string;
  readonly version: string;
}
