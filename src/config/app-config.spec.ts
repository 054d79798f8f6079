import 'reflect-metadata';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError, loadAppConfig, type AppConfig } from './app-config.js';

const DEFAULTS: AppConfig = {
  port: 3000,
  host: '0.0.0.0',
  database: { type: 'sqlite', path: './data/scim.sqlite' },
  migrationsRun: true,
  scimBasePath: '/scim/v2',
  publicBaseUrl: undefined,
  trustProxy: false,
  bootstrapToken: undefined,
  authBasicEnabled: false,
  tokenCacheTtlMs: 2000,
  directoryCacheTtlMs: 3000,
  maxDirectories: 1000,
  bodyLimitBytes: 5 * 1024 * 1024,
  bulk: { maxOperations: 1000, maxPayloadSize: 1048576 },
  maxJsonDepth: 64,
  limits: { valuesPerAttribute: 1000, patchOperations: 1000, stringBytes: 65536, keyBytes: 1024 },
  defaultPageSize: 100,
  maxPageSize: 1000,
  strictSchema: false,
  extensionsFile: undefined,
  schemaRefreshMs: 1000,
  patchLenient: true,
  groupPatchStatus: 200,
  unknownMembers: 'reject',
  deletionPolicy: 'hard',
  softDeleteRetentionDays: 30,
  softDeletePurgeIntervalMs: 3_600_000,
  groupDisplayNameUnique: true,
  tls: undefined,
  logLevel: 'log',
  logJson: false,
  shutdownTimeoutMs: 10000,
  filterMaxCost: 1000,
  queryTimeoutMs: 5000,
  sqliteReadWorkers: 2,
  sqliteReadQueue: 64,
  rateLimits: { perToken: 6000, perDirectory: 0, authFailures: 30, maxKeys: 100_000, redis: undefined },
  audit: { enabled: true, retentionDays: 90, pruneIntervalMs: 3_600_000 },
};

function assertConfigError(env: Record<string, string>, ...names: string[]): void {
  assert.throws(
    () => loadAppConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
      assert.match(error.message, /^Invalid configuration:\n/);
      for (const name of names)
        assert.ok(error.message.includes(name), `message does not name ${name}: ${error.message}`);
      return true;
    },
  );
}

describe('loadAppConfig defaults', () => {
  it('uses the documented defaults for an empty environment', () => {
    assert.deepEqual(loadAppConfig({}), DEFAULTS);
  });

  it('ignores unrelated and undefined variables', () => {
    assert.deepEqual(loadAppConfig({ PATH: '/usr/bin', HOME: '/root', PORT: undefined }), DEFAULTS);
  });

  it('returns a frozen object', () => {
    const config = loadAppConfig({});
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.equal(config.port, 3000);
  });
});

describe('loadAppConfig values', () => {
  it('parses numbers and strings', () => {
    const config = loadAppConfig({
      PORT: '8443',
      HOST: '127.0.0.1',
      SQLITE_PATH: '/tmp/x.sqlite',
      SCIM_BASE_PATH: '/api/scim',
      TOKEN_CACHE_TTL_MS: '0',
      BODY_LIMIT_BYTES: '2048',
      LOG_LEVEL: 'debug',
    });
    assert.equal(config.port, 8443);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.database, { type: 'sqlite', path: '/tmp/x.sqlite' });
    assert.equal(config.scimBasePath, '/api/scim');
    assert.equal(config.tokenCacheTtlMs, 0);
    assert.equal(config.bodyLimitBytes, 2048);
    assert.equal(config.logLevel, 'debug');
  });

  it('reads the deletion policy and its retention, and refuses an unknown policy', () => {
    const config = loadAppConfig({
      DELETION_POLICY: 'soft',
      SOFT_DELETE_RETENTION_DAYS: '7',
      SOFT_DELETE_PURGE_INTERVAL_MS: '0',
    });
    assert.equal(config.deletionPolicy, 'soft');
    assert.equal(config.softDeleteRetentionDays, 7);
    assert.equal(config.softDeletePurgeIntervalMs, 0);
    assertConfigError(
      { DELETION_POLICY: 'archive', SOFT_DELETE_RETENTION_DAYS: '-1' },
      'DELETION_POLICY',
      'SOFT_DELETE_RETENTION_DAYS',
    );
  });

  for (const url of ['postgres://u:p@db:5432/scim', 'postgresql://db/scim']) {
    it(`selects PostgreSQL for DATABASE_URL=${url}`, () => {
      assert.deepEqual(loadAppConfig({ DATABASE_URL: url }).database, {
        type: 'postgres',
        url,
        poolSize: 10,
        statementTimeoutMs: 30000,
      });
      assert.deepEqual(
        loadAppConfig({ DATABASE_URL: url, PG_POOL_SIZE: '25', PG_STATEMENT_TIMEOUT_MS: '500' }).database,
        {
          type: 'postgres',
          url,
          poolSize: 25,
          statementTimeoutMs: 500,
        },
      );
    });
  }

  it('treats an empty DATABASE_URL as SQLite', () => {
    assert.deepEqual(loadAppConfig({ DATABASE_URL: '' }).database, DEFAULTS.database);
  });

  const booleans: [string, boolean][] = [
    ['true', true],
    ['1', true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
  ];
  for (const [text, value] of booleans) {
    it(`reads boolean ${JSON.stringify(text)} as ${value}`, () => {
      const config = loadAppConfig({
        TRUST_PROXY: text,
        AUTH_BASIC_ENABLED: text,
        STRICT_SCHEMA: text,
        LOG_JSON: text,
        MIGRATIONS_RUN: text,
      });
      assert.deepEqual(
        [config.trustProxy, config.authBasicEnabled, config.strictSchema, config.logJson, config.migrationsRun],
        [value, value, value, value, value],
      );
    });
  }

  it('trims trailing slashes from PUBLIC_BASE_URL', () => {
    assert.equal(
      loadAppConfig({ PUBLIC_BASE_URL: 'https://scim.example.com/' }).publicBaseUrl,
      'https://scim.example.com',
    );
    assert.equal(
      loadAppConfig({ PUBLIC_BASE_URL: 'https://example.com/base//' }).publicBaseUrl,
      'https://example.com/base',
    );
    assert.equal(
      loadAppConfig({ PUBLIC_BASE_URL: 'http://example.com:8080' }).publicBaseUrl,
      'http://example.com:8080',
    );
  });

  it('accepts a bootstrap token of 32 characters', () => {
    assert.equal(loadAppConfig({ SCIM_BOOTSTRAP_TOKEN: 'x'.repeat(32) }).bootstrapToken, 'x'.repeat(32));
  });

  it('builds tls when both files are set', () => {
    assert.deepEqual(loadAppConfig({ TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' }).tls, {
      certFile: '/c.pem',
      keyFile: '/k.pem',
    });
  });

  it('reads the input limits', () => {
    const config = loadAppConfig({
      MAX_JSON_DEPTH: '32',
      MAX_VALUES_PER_ATTRIBUTE: '50',
      MAX_PATCH_OPERATIONS: '20',
      MAX_STRING_BYTES: '4096',
      MAX_KEY_BYTES: '512',
    });
    assert.equal(config.maxJsonDepth, 32);
    assert.deepEqual(config.limits, { valuesPerAttribute: 50, patchOperations: 20, stringBytes: 4096, keyBytes: 512 });
  });

  it('reads the filter cost budget and the query timeout', () => {
    const config = loadAppConfig({
      FILTER_MAX_COST: '50',
      QUERY_TIMEOUT_MS: '0',
      SQLITE_READ_WORKERS: '0',
      SQLITE_READ_QUEUE: '3',
    });
    assert.deepEqual(
      [config.filterMaxCost, config.queryTimeoutMs, config.sqliteReadWorkers, config.sqliteReadQueue],
      [50, 0, 0, 3],
    );
  });

  it('caps the default page size at the maximum', () => {
    const config = loadAppConfig({ DEFAULT_PAGE_SIZE: '500', MAX_PAGE_SIZE: '200' });
    assert.deepEqual([config.defaultPageSize, config.maxPageSize], [200, 200]);
  });
});

describe('loadAppConfig rejects bad values with ConfigError naming the variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '3000.5' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SCIM_BOOTSTRAP_TOKEN: 'too-short' }, 'SCIM_BOOTSTRAP_TOKEN'],
    [{ SCIM_BOOTSTRAP_TOKEN: 'x'.repeat(31) }, 'SCIM_BOOTSTRAP_TOKEN'],
    [{ TOKEN_CACHE_TTL_MS: '6000' }, 'TOKEN_CACHE_TTL_MS'],
    [{ DIRECTORY_CACHE_TTL_MS: '60001' }, 'DIRECTORY_CACHE_TTL_MS'],
    [{ MAX_DIRECTORIES: '0' }, 'MAX_DIRECTORIES'],
    [{ SCIM_BASE_PATH: 'scim' }, 'SCIM_BASE_PATH'],
    [{ SCIM_BASE_PATH: '/scim/' }, 'SCIM_BASE_PATH'],
    [{ TLS_CERT_FILE: '/c.pem' }, 'TLS_KEY_FILE'],
    [{ TLS_KEY_FILE: '/k.pem' }, 'TLS_CERT_FILE'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ PUBLIC_BASE_URL: 'scim.example.com' }, 'PUBLIC_BASE_URL'],
    [{ PUBLIC_BASE_URL: 'https://example.com/?q=1' }, 'PUBLIC_BASE_URL'],
    [{ BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES'],
    [{ LOG_LEVEL: 'trace' }, 'LOG_LEVEL'],
    [{ PG_POOL_SIZE: '0' }, 'PG_POOL_SIZE'],
    [{ MAX_JSON_DEPTH: '2' }, 'MAX_JSON_DEPTH'],
    [{ MAX_JSON_DEPTH: '5000' }, 'MAX_JSON_DEPTH'],
    [{ MAX_VALUES_PER_ATTRIBUTE: '0' }, 'MAX_VALUES_PER_ATTRIBUTE'],
    [{ MAX_PATCH_OPERATIONS: 'many' }, 'MAX_PATCH_OPERATIONS'],
    [{ MAX_STRING_BYTES: '10' }, 'MAX_STRING_BYTES'],
    [{ MAX_KEY_BYTES: '4096' }, 'MAX_KEY_BYTES'],
    [{ FILTER_MAX_COST: '0' }, 'FILTER_MAX_COST'],
    [{ QUERY_TIMEOUT_MS: '-1' }, 'QUERY_TIMEOUT_MS'],
    [{ SQLITE_READ_WORKERS: '65' }, 'SQLITE_READ_WORKERS'],
    [{ SQLITE_READ_QUEUE: '-1' }, 'SQLITE_READ_QUEUE'],
  ];
  for (const [env, name] of cases) {
    it(`${JSON.stringify(env)} → ${name}`, () => assertConfigError(env, name));
  }

  it('lists every problem at once', () => {
    assertConfigError(
      { PORT: 'abc', TRUST_PROXY: 'maybe', SCIM_BASE_PATH: 'x' },
      'PORT',
      'TRUST_PROXY',
      'SCIM_BASE_PATH',
    );
  });
});
