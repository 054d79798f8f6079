/** The credential an Authorization header carries, once its scheme is known exactly. */
export interface Credential {
  readonly scheme: 'bearer' | 'basic';
  /** The token: the bearer credential, or the password of a Basic user-pass. */
  readonly secret: string;
}

/**
 * RFC 7235 §2.1: `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`,
 * the scheme compared case-insensitively as a whole token, so `XBasic`, `basicx`
 * or `Basic,` name no scheme this server knows. Bearer credentials are RFC 6750
 * §2.1 b64token in spirit; any visible ASCII is accepted so configured bootstrap
 * secrets keep working. Basic credentials are RFC 7617 §2 base64 of user-id ":"
 * password, the password being the token and the user-id ignored.
 */
const CREDENTIALS = /^([A-Za-z]+) +([\x21-\x7e]+)$/;
const TOKEN68 = /^[A-Za-z0-9+/]+=*$/;

export function parseAuthorization(header: string | undefined): Credential | undefined {
  if (typeof header !== 'string') return undefined;
  const match = CREDENTIALS.exec(header);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  const value = match[2];
  if (scheme === 'bearer') return { scheme, secret: value };
  if (scheme !== 'basic' || !TOKEN68.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return password === '' ? undefined : { scheme, secret: password };
}
