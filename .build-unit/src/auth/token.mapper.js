import { parseScopes } from './token-secret.js';
export function tokenStatus(token, now) {
    if (token.revokedAt)
        return 'revoked';
    if (token.expiresAt && token.expiresAt <= now.toISOString())
        return 'expired';
    return 'active';
}
export function toTokenView(token, now = new Date()) {
    return {
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        scopes: parseScopes(token.scopes),
        createdAt: token.createdAt,
        expiresAt: token.expiresAt,
        lastUsedAt: token.lastUsedAt,
        revokedAt: token.revokedAt,
        status: tokenStatus(token, now),
        bootstrap: Boolean(token.isBootstrap),
    };
}
//# sourceMappingURL=token.mapper.js.map