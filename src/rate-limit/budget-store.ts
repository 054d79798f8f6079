import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Bucket, Decision } from './gcra.js';

/**
 * A place counters live: this instance's memory or Redis. Both implement @nestjs/throttler's
 * ThrottlerStorage (so ThrottlerModule can use them as its `storage`) and `take`, which
 * charges several budgets at once with a cost, what the throttler's interface cannot say.
 */
export interface BudgetStore extends ThrottlerStorage {
  /** Charges `cost` to every bucket, or to none when one of them is exhausted. */
  take(buckets: readonly Bucket[], cost: number): Promise<Decision>;
}
