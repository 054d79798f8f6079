import type { BudgetStore } from './budget-store.js';
import { ALLOWED, decide, intervalUs, nowMicros, type Bucket, type Decision } from './gcra.js';
import { throttlerRecord, type ThrottlerStorageRecord } from './throttler-record.js';

/**
 * Counters in this instance's memory: one number per key (its arrival time, gcra.ts) in a
 * Map kept in least-recently-used order and bounded by RATE_LIMIT_MAX_KEYS. When full, the
 * least recently charged key is dropped, which forgives that client its remaining debt:
 * the bound trades exactness for a flood of distinct keys (client addresses) never growing
 * memory past maxKeys entries (about 150 bytes each). Expired entries are dropped as they are met.
 */
export class MemoryBudgetStore implements BudgetStore {
  private readonly tats = new Map<string, number>();

  constructor(private readonly maxKeys: number) {}

  get size(): number {
    return this.tats.size;
  }

  take(buckets: readonly Bucket[], cost: number): Promise<Decision> {
    return Promise.resolve(this.takeNow(buckets, cost));
  }

  takeNow(buckets: readonly Bucket[], cost: number): Decision {
    const now = nowMicros();
    const stored = buckets.map((b) => this.current(b.key, now));
    const result = decide(buckets, stored, cost, now);
    if ('retryAfterSeconds' in result) return { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
    buckets.forEach((b, i) => this.store(b.key, result.next[i]));
    return ALLOWED;
  }

  /** ThrottlerStorage: one hit on `key` with `limit` per `ttl` ms (the limit scaled to a minute). */
  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const perMinute = Math.max(1, Math.round((limit * 60_000) / Math.max(1, ttl)));
    const bucket = { key, limitPerMinute: perMinute };
    const decision = this.takeNow([bucket], 1);
    const now = nowMicros();
    return Promise.resolve(throttlerRecord(decision, this.current(key, now), now, intervalUs(perMinute)));
  }

  private current(key: string, now: number): number | undefined {
    const tat = this.tats.get(key);
    if (tat === undefined || tat > now) return tat;
    this.tats.delete(key);
    return undefined;
  }

  private store(key: string, tat: number): void {
    // Delete first: a Map keeps insertion order, so the first key is the least recently charged.
    this.tats.delete(key);
    if (this.tats.size >= this.maxKeys) this.tats.delete(this.tats.keys().next().value as string);
    this.tats.set(key, tat);
  }
}
