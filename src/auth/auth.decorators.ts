import { SetMetadata } from '@nestjs/common';
import type { Scope } from './token-secret.js';

export const PUBLIC_KEY = 'auth:public';
export const SCOPE_KEY = 'auth:scope';

/** The route needs no token (health, ServiceProviderConfig per RFC 7643 §5). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** The scope a token must carry; routes without this decorator need `scim`. */
export const RequireScope = (scope: Scope): MethodDecorator & ClassDecorator => SetMetadata(SCOPE_KEY, scope);
