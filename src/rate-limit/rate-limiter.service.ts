import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ALLOWED, type Bucket, type Decision } from './gcra.js';
import { MemoryBudgetStore } from './memory-budget.store.js';
import { RedisBudgetStore } from './redis-budget.store.js';

type Mode = 'redis' | 'memory';

/**
 * Charges request budgets: in Redis when REDIS_URL is set and Redis answers (every instance
 * shares one budget), else in this instance's memory (each instance counts on its own). A
 * Redis that is down, slow or refuses never fails or holds a request: a command is bounded
 * by REDIS_TIMEOUT_MS and not even tried while the client is not connected, and the request
 * is then counted in memory. Each switch between the two is logged once (warn).
 */
@Injectable()
export class RateLimiterService implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimiter');
  private readonly memory: MemoryBudgetStore;
  private readonly redis?: RedisBudgetStore;
  private reported?: Mode;
  private closed = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { maxKeys, redis } = config.rateLimits;
    this.memory = new MemoryBudgetStore(maxKeys);
    if (redis) {
      this.redis = new RedisBudgetStore(redis, (ready, error) => this.report(ready ? 'redis' : 'memory', error));
    } else {
      this.logger.log('Rate limits are counted per instance (no REDIS_URL)');
    }
  }

  /** Where counters live now: shared in Redis, or this instance's memory. */
  get counting(): Mode {
    return this.redis?.ready ? 'redis' : 'memory';
  }

  /** Charges `cost` to every bucket (or none, when one is exhausted); buckets with no limit are not passed. */
  async take(buckets: readonly Bucket[], cost: number): Promise<Decision> {
    if (buckets.length === 0) return ALLOWED;
    if (this.redis?.ready) {
      try {
        return await this.redis.take(buckets, cost);
      } catch (error) {
        this.report('memory', error);
      }
    }
    return this.memory.takeNow(buckets, cost);
  }

  onApplicationShutdown(): void {
    this.closed = true;
    this.redis?.close();
  }

  private report(mode: Mode, error?: unknown): void {
    if (this.closed || this.reported === mode) return;
    this.reported = mode;
    if (mode === 'redis') this.logger.warn('Rate limits are shared through Redis');
    else {
      const why = error instanceof Error ? `: ${error.message}` : '';
      this.logger.warn(`Redis is unreachable${why}; rate limits are counted per instance until it answers`);
    }
  }
}
