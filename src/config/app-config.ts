import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { InputLimits } from '../scim/resource/input-limits.js';
import { EnvDto } from './env.dto.js';

export type LogLevelName = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export type DatabaseConfig =
  | { readonly type: 'sqlite'; readonly path: string }
  | {
      readonly type: 'postgres';
      readonly url: string;
      readonly poolSize: number;
      readonly statementTimeoutMs: number;
    };

/** The validated, typed configuration. Built once at start; frozen. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly migrationsRun: boolean;
  readonly scimBasePath: string;
  readonly publicBaseUrl?: string;
  readonly trustProxy: boolean;
  readonly bootstrapToken?: string;
  readonly authBasicEnabled: boolean;
  readonly tokenCacheTtlMs: number;
  /** Bound on how long another instance's change to a directory takes to apply here (DIRECTORY_CACHE_TTL_MS). */
  readonly directoryCacheTtlMs: number;
  /** Live directories at most (MAX_DIRECTORIES). */
  readonly maxDirectories: number;
  readonly bodyLimitBytes: number;
  /** POST /Bulk bounds, advertised in ServiceProviderConfig (RFC 7644 §3.7.4); 413 beyond either. */
  readonly bulk: { readonly maxOperations: number; readonly maxPayloadSize: number };
  /** Deepest nesting of arrays and objects a request body may have (400 invalidSyntax beyond). */
  readonly maxJsonDepth: number;
  /** Bounds on what one write may store (400 invalidValue beyond). */
  readonly limits: InputLimits;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly strictSchema: boolean;
  /** Extension schemas (a JSON file) the default directory registers at start; a bad file fails start-up. */
  readonly extensionsFile?: string;
  /** How often at most a directory's schema version is checked: the bound for other instances to see a change. */
  readonly schemaRefreshMs: number;
  /** Accept the PATCH forms Entra and Okta send beyond RFC 7644 §3.5.2 (listed at PatchOptions.lenient). */
  readonly patchLenient: boolean;
  /** 204 lets a membership PATCH on a huge group skip serialising it (unless attributes are asked for). */
  readonly groupPatchStatus: 200 | 204;
  /** Member ids that name nothing: 400 for the whole request, or skipped. */
  readonly unknownMembers: 'reject' | 'ignore';
  /** DELETE of a User or Group: remove the row, or keep it hidden until the retention ends (per directory). */
  readonly deletionPolicy: 'hard' | 'soft';
  /** Days a soft-deleted row is kept before the background purge deletes it. */
  readonly softDeleteRetentionDays: number;
  /** How often that purge runs (0: not in the background). */
  readonly softDeletePurgeIntervalMs: number;
  /** A directory's Group displayNames are unique (409 uniqueness) unless its settings say otherwise. */
  readonly groupDisplayNameUnique: boolean;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly logLevel: LogLevelName;
  readonly logJson: boolean;
  readonly shutdownTimeoutMs: number;
  /** The largest summed term cost a filter may have (FILTER_TERM_COST); beyond it 400 invalidFilter. */
  readonly filterMaxCost: number;
  /** PostgreSQL: time bound of a list/search read (0: none but PG_STATEMENT_TIMEOUT_MS); beyond it 503. */
  readonly queryTimeoutMs: number;
  /** SQLite: worker threads for list reads that can scan (0: on the main thread). */
  readonly sqliteReadWorkers: number;
  /** SQLite: list reads that may wait for a worker; beyond them 503. */
  readonly sqliteReadQueue: number;
  readonly rateLimits: RateLimitConfig;
  /** The provisioning log (src/audit/): off writes no row (AUDIT_LOG). */
  readonly audit: {
    readonly enabled: boolean;
    readonly retentionDays: number;
    readonly pruneIntervalMs: number;
  };
}

/** Request budgets (src/rate-limit); every limit is per minute, 0 meaning none. */
export interface RateLimitConfig {
  readonly perToken: number;
  readonly perDirectory: number;
  readonly authFailures: number;
  /** Bound on the counters one instance keeps in memory. */
  readonly maxKeys: number;
  readonly redis?: { readonly url: string; readonly keyPrefix: string; readonly timeoutMs: number };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

function describeErrors(dto: EnvDto): string[] {
  return validateSync(dto, { forbidUnknownValues: false }).flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`),
  );
}

function toAppConfig(env: EnvDto): AppConfig {
  const database: DatabaseConfig = env.DATABASE_URL
    ? {
        type: 'postgres',
        url: env.DATABASE_URL,
        poolSize: env.PG_POOL_SIZE,
        statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS,
      }
    : { type: 'sqlite', path: env.SQLITE_PATH };
  return deepFreeze({
    port: env.PORT,
    host: env.HOST,
    database,
    migrationsRun: env.MIGRATIONS_RUN,
    scimBasePath: env.SCIM_BASE_PATH,
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    trustProxy: env.TRUST_PROXY,
    bootstrapToken: env.SCIM_BOOTSTRAP_TOKEN,
    authBasicEnabled: env.AUTH_BASIC_ENABLED,
    tokenCacheTtlMs: env.TOKEN_CACHE_TTL_MS,
    directoryCacheTtlMs: env.DIRECTORY_CACHE_TTL_MS,
    maxDirectories: env.MAX_DIRECTORIES,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    bulk: { maxOperations: env.BULK_MAX_OPERATIONS, maxPayloadSize: env.BULK_MAX_PAYLOAD_BYTES },
    maxJsonDepth: env.MAX_JSON_DEPTH,
    limits: {
      valuesPerAttribute: env.MAX_VALUES_PER_ATTRIBUTE,
      patchOperations: env.MAX_PATCH_OPERATIONS,
      stringBytes: env.MAX_STRING_BYTES,
      keyBytes: env.MAX_KEY_BYTES,
    },
    defaultPageSize: Math.min(env.DEFAULT_PAGE_SIZE, env.MAX_PAGE_SIZE),
    maxPageSize: env.MAX_PAGE_SIZE,
    strictSchema: env.STRICT_SCHEMA,
    extensionsFile: env.SCIM_EXTENSIONS_FILE,
    schemaRefreshMs: env.SCHEMA_REFRESH_MS,
    patchLenient: env.PATCH_LENIENT,
    groupPatchStatus: env.GROUP_PATCH_STATUS === '204' ? 204 : 200,
    unknownMembers: env.UNKNOWN_MEMBERS === 'ignore' ? 'ignore' : 'reject',
    deletionPolicy: env.DELETION_POLICY === 'soft' ? 'soft' : 'hard',
    softDeleteRetentionDays: env.SOFT_DELETE_RETENTION_DAYS,
    softDeletePurgeIntervalMs: env.SOFT_DELETE_PURGE_INTERVAL_MS,
    groupDisplayNameUnique: env.GROUP_DISPLAY_NAME_UNIQUE,
    tls: env.TLS_CERT_FILE && env.TLS_KEY_FILE ? { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE } : undefined,
    logLevel: env.LOG_LEVEL as LogLevelName,
    logJson: env.LOG_JSON,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    filterMaxCost: env.FILTER_MAX_COST,
    queryTimeoutMs: env.QUERY_TIMEOUT_MS,
    sqliteReadWorkers: env.SQLITE_READ_WORKERS,
    sqliteReadQueue: env.SQLITE_READ_QUEUE,
    rateLimits: {
      perToken: env.RATE_LIMIT_PER_MINUTE,
      perDirectory: env.DIRECTORY_RATE_LIMIT_PER_MINUTE,
      authFailures: env.AUTH_FAILURE_LIMIT_PER_MINUTE,
      maxKeys: env.RATE_LIMIT_MAX_KEYS,
      redis: env.REDIS_URL
        ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX, timeoutMs: env.REDIS_TIMEOUT_MS }
        : undefined,
    },
    audit: {
      enabled: env.AUDIT_LOG === 'on',
      retentionDays: env.AUDIT_RETENTION_DAYS,
      pruneIntervalMs: env.AUDIT_PRUNE_INTERVAL_MS,
    },
  });
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * Validates the environment once. A bad value throws ConfigError listing every
 * problem, so the server refuses to start rather than run misconfigured.
 */
export function loadAppConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new EnvDto());
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && known.includes(k)));
  const dto = plainToInstance(EnvDto, picked, { exposeDefaultValues: true });
  const errors = describeErrors(dto);
  if (Boolean(dto.TLS_CERT_FILE) !== Boolean(dto.TLS_KEY_FILE)) {
    errors.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${errors.join('\n  ')}`);
  }
  return toAppConfig(dto);
}
