import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { systemContext } from '../common/http/scim-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { AuditLogRepository } from './audit-log.repository.js';
import type { AuditEntry } from './audit.types.js';

/** Failure rows waiting to be written; beyond it they are dropped (and counted in the log), never queued unbounded. */
export const MAX_PENDING_FAILURES = 1000;
/** Client address and minute keys of failed authentication waiting; a flood from many addresses stays bounded too. */
export const MAX_PENDING_AGGREGATES = 10_000;
/** Rows per INSERT statement. */
const ROWS_PER_STATEMENT = 100;
/** Failures are written in batches after this delay, so a burst costs a few statements. */
const FLUSH_DELAY_MS = 100;

const CONTEXT = systemContext('audit');

/**
 * Writes failure rows after their responses, off the request path: a request only pushes
 * its row onto a bounded queue, and a timer (unref'd) writes what is queued in one unit of
 * work. Failed authentication is counted per client address and minute and written as one
 * row per key (an upsert, so every instance adds to the same row). A failed write is
 * logged and dropped: recording a failure never fails or delays a request.
 */
@Injectable()
export class AuditFailures implements BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditFailures');
  private queue: AuditEntry[] = [];
  private aggregates = new Map<string, { entry: AuditEntry; count: number }>();
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly units: UnitOfWorkService,
    private readonly repository: AuditLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.audit.enabled;
  }

  add(entry: AuditEntry): void {
    if (this.queue.length >= MAX_PENDING_FAILURES) this.dropped++;
    else this.queue.push(entry);
    this.schedule();
  }

  /**
   * Writes `entries` now, outside the shared queue: a request that produced them (a Bulk
   * request's failed operations, up to maxOperations) waits for its own rows, so one client
   * cannot push other requests' failure rows out of the bounded queue.
   */
  async write(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.units.run(CONTEXT, async (uow) => {
        for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
          await this.repository.insertMany(uow, entries.slice(i, i + ROWS_PER_STATEMENT));
        }
      });
    } catch (error) {
      this.logger.warn(`could not write ${entries.length} audit failure rows: ${String(error)}`);
    }
  }

  /** One more failed authentication of `key` (client address and minute); `entry` starts its row. */
  addAggregated(key: string, entry: AuditEntry): void {
    const pending = this.aggregates.get(key);
    if (pending) pending.count++;
    else if (this.aggregates.size >= MAX_PENDING_AGGREGATES) this.dropped++;
    else this.aggregates.set(key, { entry, count: 1 });
    this.schedule();
  }

  /** Writes everything queued so far (tests; shutdown). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0 && this.aggregates.size === 0) return;
    this.flushing = this.drain().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, FLUSH_DELAY_MS);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    const rows = this.queue;
    const aggregates = [...this.aggregates];
    this.queue = [];
    this.aggregates = new Map();
    try {
      await this.units.run(CONTEXT, async (uow) => {
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
          await this.repository.insertMany(uow, rows.slice(i, i + ROWS_PER_STATEMENT));
        }
        for (const [key, { entry, count }] of aggregates) await this.repository.addAggregated(uow, key, entry, count);
      });
    } catch (error) {
      this.logger.warn(`could not write ${rows.length + aggregates.length} audit failure rows: ${String(error)}`);
    }
    if (this.dropped > 0) {
      this.logger.warn(`${this.dropped} audit failure rows dropped: more than ${MAX_PENDING_FAILURES} were waiting`);
      this.dropped = 0;
    }
  }
}
