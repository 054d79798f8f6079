import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Decision } from './gcra.js';

/** What ThrottlerStorage.increment resolves to (the package does not export the type by name). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A decision in @nestjs/throttler's terms: hits still counted, and seconds until they expire or the block ends. */
export function throttlerRecord(
  decision: Decision,
  tat: number | undefined,
  nowUs: number,
  intervalUs: number,
): ThrottlerStorageRecord {
  const ahead = Math.max(0, (tat ?? nowUs) - nowUs);
  return {
    totalHits: Math.ceil(ahead / Math.max(1, intervalUs)),
    timeToExpire: Math.ceil(ahead / 1_000_000),
    isBlocked: !decision.allowed,
    timeToBlockExpire: decision.allowed ? 0 : decision.retryAfterSeconds,
  };
}
