import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { BasicStrategy as PassportBasic } from 'passport-http';
import { TokensService, type Principal } from './tokens.service.js';

/** For IdPs that only speak HTTP Basic: the password is an issued token; the user name is ignored. */
@Injectable()
export class BasicStrategy extends PassportStrategy(PassportBasic, 'basic') {
  constructor(private readonly tokens: TokensService) {
    super();
  }

  async validate(_user: string, password: string): Promise<Principal | false> {
    return (await this.tokens.verify(password)) ?? false;
  }
}
