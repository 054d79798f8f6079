import { Redis } from 'ioredis';
import type { BudgetStore } from './budget-store.js';
import { ALLOWED, intervalUs, type Bucket, type Decision } from './gcra.js';
import { RATE_WINDOW_MS } from './rate-limit.constants.js';
import { throttlerRecord, type ThrottlerStorageRecord } from './throttler-record.js';

/**
 * gcra.ts's decide() in Lua, so the check and the charge of every bucket are one atomic
 * step on the server, with the server's clock (instances' clocks may differ). Arrival times
 * are integer microseconds, written with %d: Lua's default number format keeps 14 digits.
 * KEYS: the buckets; ARGV: cost, window (µs), then each bucket's interval (µs) and limit.
 * Returns {1, 0} when charged, {0, retryAfterSeconds} when refused.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local cost = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local charges = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[1 + 2 * i])
  local limit = tonumber(ARGV[2 + 2 * i])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local charged = tat + cost * interval
  local over = charged - now - window
  if over > 0 and not (tat == now and cost > limit) and over > wait then wait = over end
  charges[i] = charged
end
if wait > 0 then
  local seconds = math.ceil(wait / 1000000)
  if seconds < 1 then seconds = 1 end
  return {0, seconds}
end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, string.format('%d', charges[i]), 'PX', math.ceil((charges[i] - now) / 1000))
end
return {1, 0}
`;

export interface RedisStoreOptions {
  readonly url: string;
  readonly keyPrefix: string;
  /** Connect and command timeout: the most a request ever waits for Redis. */
  readonly timeoutMs: number;
}

type TakeCommand = (numKeys: number, ...args: (string | number)[]) => Promise<[number, number]>;

/**
 * Counters in Redis, shared by every instance. The client never queues a command while
 * disconnected (enableOfflineQueue: false) and bounds each one by `timeoutMs`, so an
 * outage makes `take` fail fast; RateLimiterService then counts in memory. The client
 * reconnects in the background (at most every 2 s) and reports each state change.
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly client: Redis;

  constructor(options: RedisStoreOptions, onState: (ready: boolean, error?: unknown) => void) {
    this.client = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      enableOfflineQueue: false,
      connectTimeout: options.timeoutMs,
      commandTimeout: options.timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
      lazyConnect: false,
    });
    this.client.defineCommand('scimTake', { lua: TAKE_SCRIPT });
    this.client.on('ready', () => onState(true));
    this.client.on('error', (error: unknown) => onState(false, error));
    this.client.on('end', () => onState(false));
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  async take(buckets: readonly Bucket[], cost: number): Promise<Decision> {
    const args = buckets.flatMap((b) => [intervalUs(b.limitPerMinute), b.limitPerMinute]);
    const take = (this.client as unknown as { scimTake: TakeCommand }).scimTake.bind(this.client);
    const [allowed, retryAfter] = await take(
      buckets.length,
      ...buckets.map((b) => b.key),
      cost,
      RATE_WINDOW_MS * 1000,
      ...args,
    );
    return allowed === 1 ? ALLOWED : { allowed: false, retryAfterSeconds: retryAfter };
  }

  /** ThrottlerStorage: one hit on `key` with `limit` per `ttl` ms (the limit scaled to a minute). */
  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const perMinute = Math.max(1, Math.round((limit * 60_000) / Math.max(1, ttl)));
    const decision = await this.take([{ key, limitPerMinute: perMinute }], 1);
    const stored = await this.client.get(key);
    const [seconds, micros] = await this.client.time();
    const now = Number(seconds) * 1_000_000 + Number(micros);
    return throttlerRecord(decision, stored === null ? undefined : Number(stored), now, intervalUs(perMinute));
  }

  close(): void {
    this.client.disconnect();
  }
}
