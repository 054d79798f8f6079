import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { BasicStrategy as PassportBasic } from 'passport-http';
import type { AuthCarrier } from './scim-auth.guard.js';
import { TokensService, type Principal } from './tokens.service.js';

/**
 * For IdPs that only speak HTTP Basic: the password is an issued token; the user name
 * is ignored. Registered only when AUTH_BASIC_ENABLED is on (see AuthModule).
 */
@Injectable()
export class BasicStrategy extends PassportStrategy(PassportBasic, 'basic') {
  constructor(private readonly tokens: TokensService) {
    super({ passReqToCallback: true });
  }

  async validate(carrier: AuthCarrier, _user: string, password: string): Promise<Principal | false> {
    return carrier.verified ?? (await this.tokens.verify(password)) ?? false;
  }
}
