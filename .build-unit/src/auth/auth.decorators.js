import { SetMetadata } from '@nestjs/common';
export const PUBLIC_KEY = 'auth:public';
export const SCOPE_KEY = 'auth:scope';
/** The route needs no token (health, ServiceProviderConfig per RFC 7643 §5). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The scope a token must carry; routes without this decorator need `scim`. */
export const RequireScope = (scope) => SetMetadata(SCOPE_KEY, scope);
//# sourceMappingURL=auth.decorators.js.map