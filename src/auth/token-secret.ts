import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Recognisable in logs and by secret scanners; the rest is 256 random bits. */
export const TOKEN_PREFIX = 'scim_';
const PREFIX_SHOWN = 12;

export type Scope = 'scim' | 'admin';
export const SCOPES: readonly Scope[] = ['scim', 'admin'];

export function generateSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 is the right hash for random, high-entropy secrets: nothing to
 * brute-force, so a slow password hash would only cost every request.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The part of a token that may be shown again: enough to tell tokens apart. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, PREFIX_SHOWN);
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Constant-time comparison of two SHA-256 hex digests; anything else is unequal. */
export function hashesEqual(a: string, b: string): boolean {
  if (!SHA256_HEX.test(a) || !SHA256_HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

export function parseScopes(value: string): Scope[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
}
