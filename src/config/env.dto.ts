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

  /** Live directories a server holds at most (the default one included): a flood of creations is a 409. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  MAX_DIRECTORIES = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 5 * 1024 * 1024;

  /** Operations in one POST /Bulk (RFC 7644 §3.7.4 maxOperations); 413 beyond. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  BULK_MAX_OPERATIONS = 1000;

  /** Bytes of one POST /Bulk body (RFC 7644 §3.7.4 maxPayloadSize), its own body limit; 413 beyond. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  BULK_MAX_PAYLOAD_BYTES = 1024 * 1024;

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

  @Transform(toBool)
  @IsBoolean()
  GROUP_DISPLAY_NAME_UNIQUE = true;

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

  /** `soft` keeps a deleted User or Group (hidden, 404) until SOFT_DELETE_RETENTION_DAYS have passed. */
  @IsIn(['hard', 'soft'])
  DELETION_POLICY = 'hard';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  SOFT_DELETE_RETENTION_DAYS = 30;

  /** How often soft-deleted rows past their retention are purged (0: never in the background). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  SOFT_DELETE_PURGE_INTERVAL_MS = 3_600_000;

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

  /** Requests per minute of a token that sets no limit of its own (0: no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 6000;

  /** Requests per minute of all tokens of a directory together, unless its settings say otherwise (0: none). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  DIRECTORY_RATE_LIMIT_PER_MINUTE = 0;

  /** Failed authentications per client address and minute before further ones are 429 (0: no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  AUTH_FAILURE_LIMIT_PER_MINUTE = 30;

  /** Counters kept in memory per instance (LRU beyond it): bounds their memory, about 150 bytes each. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  RATE_LIMIT_MAX_KEYS = 100_000;

  /** Shares the rate-limit counters of every instance; unset: each instance counts on its own. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Matches(/^[A-Za-z0-9:._-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 of A-Z a-z 0-9 : . _ -' })
  REDIS_KEY_PREFIX = 'scim:rl:';

  /** Connect and command timeout of Redis: the most a request waits for it before counting in memory. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(5000)
  REDIS_TIMEOUT_MS = 150;

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
