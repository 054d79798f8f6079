import { Global, Module } from '@nestjs/common';
import { RateLimiterService } from './rate-limiter.service.js';

/** The request budgets (per token, per directory, failed authentication per address). */
@Global()
@Module({ providers: [RateLimiterService], exports: [RateLimiterService] })
export class RateLimitModule {}
