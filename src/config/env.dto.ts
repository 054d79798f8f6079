import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable the server reads, with its default. `.env.example`
 * lists the same variables; nothing else in the code reads process.env.
 */
export class EnvDto {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
  })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  SQLITE_PATH = './data/scim.sqlite';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  PG_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  PG_STATEMENT_TIMEOUT_MS = 30000;

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @Matches(/^(\/[A-Za-z0-9._~-]+)+$/, { message: 'SCIM_BASE_PATH must look like /scim/v2' })
  SCIM_BASE_PATH = '/scim/v2';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, {
    message: 'PUBLIC_BASE_URL must be an absolute http(s) URL without query, e.g. https://scim.example.com',
  })
  PUBLIC_BASE_URL?: string;

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, {
    message: 'SCIM_BOOTSTRAP_TOKEN must be at least 32 characters',
  })
  @MaxLength(512)
  SCIM_BOOTSTRAP_TOKEN?: string;

  @Transform(toBool)
  @IsBoolean()
  AUTH_BASIC_ENABLED = false;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5000)
  TOKEN_CACHE_TTL_MS = 2000;

  /**
   * How long an instance may serve a directory's cached state (settings, disabled, deleted)
   * after another instance changed it; changes made on this instance apply at once.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  DIRECTORY_CACHE_TTL_MS = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 5 * 1024 * 1024;

  /** Nesting of arrays and objects in a request body; checked before parsing. */
  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(1000)
  MAX_JSON_DEPTH = 64;

  /** At most 10,000: a PATCH add compares each value it brings with the stored ones. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  MAX_VALUES_PER_ATTRIBUTE = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  MAX_PATCH_OPERATIONS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(256)
  @Max(5 * 1024 * 1024)
  MAX_STRING_BYTES = 64 * 1024;

  /** At most 2400: a PostgreSQL btree entry holds about 2.7 KB, attribute name and overhead included. */
  @Transform(toInt)
  @IsInt()
  @Min(64)
  @Max(2400)
  MAX_KEY_BYTES = 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  DEFAULT_PAGE_SIZE = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  MAX_PAGE_SIZE = 1000;

  @Transform(toBool)
  @IsBoolean()
  STRICT_SCHEMA = false;

  @Transform(toBool)
  @IsBoolean()
  PATCH_LENIENT = true;

  /** A JSON file of extension schemas the default directory registers at start (docs: README). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SCIM_EXTENSIONS_FILE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SCHEMA_REFRESH_MS = 1000;

  @IsIn(['200', '204'])
  GROUP_PATCH_STATUS = '200';

  @IsIn(['reject', 'ignore'])
  UNKNOWN_MEMBERS = 'reject';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @Transform(toBool)
  @IsBoolean()
  LOG_JSON = false;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 10000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  FILTER_MAX_COST = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  QUERY_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(64)
  SQLITE_READ_WORKERS = 2;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10000)
  SQLITE_READ_QUEUE = 64;

  @IsIn(['on', 'off'])
  AUDIT_LOG = 'on';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36500)
  AUDIT_RETENTION_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  AUDIT_PRUNE_INTERVAL_MS = 3_600_000;
}
