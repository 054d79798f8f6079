import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicJob } from '../common/background/periodic-job.js';
import { systemContext } from '../common/http/scim-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { AuditLogRepository } from './audit-log.repository.js';

/** Rows per DELETE: each batch is one short transaction, so pruning never holds the writer for long. */
export const PRUNE_BATCH_ROWS = 1000;

const CONTEXT = systemContext('audit-retention');
const DAY_MS = 86_400_000;

/**
 * Deletes audit rows older than AUDIT_RETENTION_DAYS, every AUDIT_PRUNE_INTERVAL_MS, in
 * batches of PRUNE_BATCH_ROWS (oldest first). The timer is unref'd and stopped at shutdown;
 * several instances pruning at once only delete the same old rows.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private readonly job = new PeriodicJob(
    () => this.prune(),
    (e: unknown) => this.logger.warn(`pruning failed: ${String(e)}`),
  );

  constructor(
    private readonly units: UnitOfWorkService,
    private readonly repository: AuditLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(this.config.audit.pruneIntervalMs);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Deletes every row past the retention period, batch by batch; the number deleted. */
  pruneNow(): Promise<number> {
    return this.job.runNow();
  }

  private async prune(): Promise<number> {
    const before = new Date(Date.now() - this.config.audit.retentionDays * DAY_MS).toISOString();
    let total = 0;
    while (!this.job.stopping) {
      const deleted = await this.units.run(CONTEXT, (uow) => this.repository.pruneBatch(uow, before, PRUNE_BATCH_ROWS));
      total += deleted;
      if (deleted < PRUNE_BATCH_ROWS) break;
    }
    if (total > 0) this.logger.log(`${total} audit rows older than ${before} deleted`);
    return total;
  }
}
