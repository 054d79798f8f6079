import { randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { systemContext } from '../common/http/scim-context.js';
import { SQL_DIALECT, type SqlDialect } from './dialect/sql-dialect.js';
import { DEFAULT_SCOPE, type ResourceScope } from './scope/resource-scope.js';
import { SQL_READER, type SqlReader } from './sql-reader.js';
import { UnitOfWorkService } from './unit-of-work.service.js';

export const CURSOR_SIGNING_KEY = 'cursor_signing_key';
const KEY_BYTES = 32;
const SYSTEM = systemContext('cursor-key');

const readSql = (s: ResourceScope): string =>
  `SELECT value FROM ${s.from('server_state')} WHERE ${s.where('server_state')} AND "key" = $1`;

/**
 * The HMAC key that signs RFC 9865 cursors. Every instance must use the same key,
 * or a cursor issued by one instance would be rejected by the next (RFC 9865 §5.2
 * wants forged cursors rejected, and instances stay stateless), so the key lives
 * in server_state rather than in memory or configuration.
 */
@Injectable()
export class CursorKeyRepository {
  private cached: Promise<Buffer> | undefined;

  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    private readonly units: UnitOfWorkService,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
  ) {}

  /** The shared key, created on first use. It never changes, so it is read once per process. */
  getOrCreate(): Promise<Buffer> {
    // Caching the promise makes concurrent first calls share one round trip.
    this.cached ??= this.load().catch((error: unknown) => {
      this.cached = undefined; // a failed read (database down) is retried on the next call
      throw error;
    });
    return this.cached;
  }

  /**
   * Read, insert if absent, read back. The primary key on server_state makes the
   * insert atomic across instances: when two race, the loser's insert does nothing and
   * both then read the winner's key. The insert runs in the one write path; the reads
   * use the reader, which sees committed rows only.
   */
  private async load(): Promise<Buffer> {
    const existing = await this.read();
    if (existing !== undefined) return decodeKey(existing);
    const candidate = randomBytes(KEY_BYTES).toString('base64');
    await this.units.run(SYSTEM, async (uow) => {
      const inserted = await uow.query(
        `${uow.scope.insertInto('server_state', '"key", value')} VALUES ($1, $2)
        ${this.dialect.onConflictDoNothing('"key"')} RETURNING "key"`,
        [CURSOR_SIGNING_KEY, candidate],
      );
      if (inserted.length > 0)
        await uow.record({ operation: 'claim', resourceType: 'ServerState', resourceId: CURSOR_SIGNING_KEY });
    });
    const stored = await this.read();
    if (stored === undefined) throw new Error(`server_state ${CURSOR_SIGNING_KEY} vanished after insert`);
    return decodeKey(stored);
  }

  private async read(): Promise<string | undefined> {
    const rows = await this.reader.all<{ value: string }>('server_state_value', DEFAULT_SCOPE.statement(readSql), [
      CURSOR_SIGNING_KEY,
    ]);
    return rows[0]?.value;
  }
}

function decodeKey(value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  // A damaged row would silently weaken every cursor; fail loudly instead.
  if (key.length !== KEY_BYTES) {
    throw new Error(`server_state ${CURSOR_SIGNING_KEY} is not ${KEY_BYTES} base64 bytes`);
  }
  return key;
}
