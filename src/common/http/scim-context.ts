/** What a service needs to know about the request it answers, without knowing HTTP. */
export interface ScimContext {
  /** Absolute base of the SCIM API, e.g. https://idp.example.com/scim/v2 */
  readonly baseUrl: string;
  readonly requestId: string;
}

export interface ResourceResult {
  readonly resource: Record<string, unknown>;
  readonly location: string;
  readonly version: string;
}
