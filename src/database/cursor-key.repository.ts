import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { ServerStateEntity } from './server-state.entity.js';
import { isUniqueViolation } from './transaction.service.js';

export const CURSOR_SIGNING_KEY = 'cursor_signing_key';
const KEY_BYTES = 32;

/**
 * The HMAC key that signs RFC 9865 cursors. Every instance must use the same key,
 * or a cursor issued by one instance would be rejected by the next (RFC 9865 §5.2
 * wants forged cursors rejected, and instances stay stateless), so the key lives
 * in server_state rather than in memory or configuration.
 */
@Injectable()
export class CursorKeyRepository {
  private cached: Promise<Buffer> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The shared key, created on first use. It never changes, so it is read once per process. */
  getOrCreate(): Promise<Buffer> {
    // Caching the promise makes concurrent first calls share one round trip.
    this.cached ??= this.load().catch((error: unknown) => {
      this.cached = undefined; // a failed read (database down) is retried on the next call
      throw error;
    });
    return this.cached;
  }

  private get state() {
    return this.dataSource.getRepository(ServerStateEntity);
  }

  /**
   * Read, insert if absent, read back. The primary key on server_state makes the
   * insert atomic across instances: when two race, the loser's insert fails with a
   * unique violation and both then read the winner's key.
   */
  private async load(): Promise<Buffer> {
    const existing = await this.state.findOneBy({ key: CURSOR_SIGNING_KEY });
    if (existing) return decodeKey(existing.value);
    try {
      await this.state.insert({ key: CURSOR_SIGNING_KEY, value: randomBytes(KEY_BYTES).toString('base64') });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const stored = await this.state.findOneBy({ key: CURSOR_SIGNING_KEY });
    if (!stored) throw new Error(`server_state ${CURSOR_SIGNING_KEY} vanished after insert`);
    return decodeKey(stored.value);
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
