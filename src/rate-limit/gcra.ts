import { RATE_WINDOW_MS } from './rate-limit.constants.js';

/** One budget a request draws on: its counter's key and its limit per minute (> 0). */
export interface Bucket {
  readonly key: string;
  readonly limitPerMinute: number;
}

/** Allowed, or refused with the seconds after which the same request would be allowed (Retry-After). */
export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export const ALLOWED: Decision = Object.freeze({ allowed: true });

const WINDOW_US = RATE_WINDOW_MS * 1000;

/** Microseconds one unit of cost takes to refill. */
export function intervalUs(limitPerMinute: number): number {
  return Math.floor(WINDOW_US / limitPerMinute);
}

/**
 * The generic cell rate algorithm (a token bucket that stores one number per key, its
 * "theoretical arrival time"): a budget of `limit` per minute refills continuously, so a
 * client may burst up to the full minute's budget and then proceeds at limit/60 a second.
 * No window boundary lets twice the budget through, and a refused request costs nothing.
 * A request may cost more than one (a /Bulk request, one per operation); one that costs
 * more than a whole budget passes only on a full bucket and leaves it in debt.
 *
 * `tats` are the stored arrival times of `buckets` (undefined: never used or expired); the
 * result is either the new times to store (every bucket is charged, or none) or a refusal.
 * The Redis store runs the same steps in Lua (redis-budget.store.ts); keep them in step.
 */
export function decide(
  buckets: readonly Bucket[],
  tats: readonly (number | undefined)[],
  cost: number,
  nowUs: number,
): { readonly next: number[] } | { readonly retryAfterSeconds: number } {
  const next: number[] = [];
  let waitUs = 0;
  buckets.forEach((bucket, i) => {
    const tat = Math.max(tats[i] ?? nowUs, nowUs);
    const charged = tat + cost * intervalUs(bucket.limitPerMinute);
    const over = charged - nowUs - WINDOW_US;
    const fullAndHuge = tat === nowUs && cost > bucket.limitPerMinute;
    if (over > 0 && !fullAndHuge) waitUs = Math.max(waitUs, over);
    next.push(charged);
  });
  if (waitUs > 0) return { retryAfterSeconds: Math.max(1, Math.ceil(waitUs / 1_000_000)) };
  return { next };
}

/** Microseconds since the epoch (the unit of stored arrival times). */
export function nowMicros(): number {
  return Date.now() * 1000;
}
