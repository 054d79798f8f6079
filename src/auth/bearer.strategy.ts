import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { AuthCarrier } from './scim-auth.guard.js';
import { TokensService, type Principal } from './tokens.service.js';

/** Reuses the onRequest hook's verification; verifies itself only where the hook did not run. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly tokens: TokensService) {
    super({ passReqToCallback: true });
  }

  async validate(carrier: AuthCarrier, secret: string): Promise<Principal | false> {
    return carrier.verified ?? (await this.tokens.verify(secret)) ?? false;
  }
}
