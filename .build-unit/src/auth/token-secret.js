import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
/** Recognisable in logs and by secret scanners; the rest is 256 random bits. */
export const TOKEN_PREFIX = 'scim_';
const PREFIX_SHOWN = 12;
export const SCOPES = ['scim', 'admin'];
export function generateSecret() {
    return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}
/**
 * SHA-256 is the right hash for random, high-entropy secrets: nothing to
 * brute-force, so a slow password hash would only cost every request.
 */
export function hashSecret(secret) {
    return createHash('sha256').update(secret, 'utf8').digest('hex');
}
/** The part of a token that may be shown again: enough to tell tokens apart. */
export function displayPrefix(secret) {
    return secret.slice(0, PREFIX_SHOWN);
}
export function hashesEqual(a, b) {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && timingSafeEqual(left, right);
}
export function parseScopes(value) {
    return value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => SCOPES.includes(s));
}
//# sourceMappingURL=token-secret.js.map