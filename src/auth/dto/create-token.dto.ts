import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { NoControlCharacters } from '../../common/dto/no-control-characters.validator.js';
import { MAX_RATE_LIMIT_PER_MINUTE } from '../../rate-limit/rate-limit.constants.js';
import { SCOPES, type Scope } from '../token-secret.js';

/** The last instant whose ISO 8601 form has a four-digit year; later ones serialise as `+010000-…`. */
const LATEST_EXPIRY = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A timestamp that, in UTC, falls no later than year 9999: `9999-12-31T23:59:59-05:00`
 * is valid ISO 8601 but its UTC form has a six-digit year no column or client expects.
 */
function NotAfterYear9999(): PropertyDecorator {
  return ValidateBy({
    name: 'notAfterYear9999',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !(Date.parse(value) > LATEST_EXPIRY),
      defaultMessage: () => '$property must not be later than 9999-12-31T23:59:59.999Z',
    },
  });
}

export class CreateTokenDto {
  @IsString()
  @Length(1, 100)
  @NoControlCharacters()
  name: string;

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SCOPES, { each: true })
  scopes: Scope[];

  /** Absolute expiry; RFC 7644 §7.4 wants bearer tokens to have a limited lifetime. */
  @IsOptional()
  @IsISO8601({ strict: true })
  @NotAfterYear9999()
  expiresAt?: string;

  /**
   * An `admin` token over every directory (only a server-wide token may issue one); by
   * default an admin token manages only the directory it is issued in.
   */
  @IsOptional()
  @IsBoolean()
  serverWide?: boolean;

  /** The token's own requests per minute (0: unlimited); absent follows RATE_LIMIT_PER_MINUTE. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_RATE_LIMIT_PER_MINUTE)
  rateLimitPerMinute?: number;

  /** Binds the token to this user of its directory: it then serves only `/Me` (RFC 7644 §3.11). */
  @IsOptional()
  @IsUUID()
  userId?: string;
}
