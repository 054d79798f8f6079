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
import { DirectoriesService } from '../directories/directories.service.js';
import { toRef } from '../directories/directory.types.js';
import { DeletedResourcesService } from './deleted-resources.service.js';

/** Rows per purge batch: each batch is one short transaction. */
export const DELETED_PURGE_BATCH = 500;
/** Directories read per page while a purge walks them. */
const DIRECTORY_PAGE = 200;

/**
 * Purges soft-deleted rows past SOFT_DELETE_RETENTION_DAYS in the background, every
 * SOFT_DELETE_PURGE_INTERVAL_MS (an unref'd timer, stopped before shutdown), directory by
 * directory, in bounded batches. Runs never overlap; two instances purging at once only
 * find the same rows gone.
 */
@Injectable()
export class DeletedPurgeService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeletedPurge');
  private readonly job = new PeriodicJob(
    () => this.pass(Date.now()),
    (error: unknown) => this.logger.error(`purge of deleted rows failed: ${String(error)}`),
  );

  constructor(
    private readonly deleted: DeletedResourcesService,
    private readonly directories: DirectoriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(this.config.softDeletePurgeIntervalMs);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One pass over every directory (tests call it with a later `now`); the number of rows purged. */
  purgeExpired(now = Date.now()): Promise<number> {
    return this.job.runNow(() => this.pass(now));
  }

  private async pass(now: number): Promise<number> {
    let total = 0;
    for (let after = 0; !this.job.stopping;) {
      const page = await this.directories.list(after, DIRECTORY_PAGE);
      for (const directory of page) {
        if (this.job.stopping) break;
        const ctx = { ...systemContext('deleted-purge'), directory: toRef(directory) };
        total += await this.deleted.purgeExpired(ctx, now, DELETED_PURGE_BATCH);
      }
      if (page.length < DIRECTORY_PAGE) break;
      after = page[page.length - 1].id;
    }
    if (total > 0) this.logger.log(`purged ${total} soft-deleted resources past their retention`);
    return total;
  }
}
