import { ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { SCOPES, type Scope } from '../token-secret.js';

export class CreateTokenDto {
  @IsString() @Length(1, 100)
  name: string;

  @IsArray() @ArrayNotEmpty() @IsIn(SCOPES, { each: true })
  scopes: Scope[];

  /** Absolute expiry; RFC 7644 §7.4 wants bearer tokens to have a limited lifetime. */
  @IsOptional() @IsISO8601({ strict: true })
  expiresAt?: string;
}
