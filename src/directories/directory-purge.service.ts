import { ExtensionsRepository } from '../extensions/extensions.repository.js';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { systemContext } from '../common/http/scim-context.js';
import { TokensService } from '../auth/tokens.service.js';
import type { ScopedTable } from '../database/scope/resource-scope.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { DirectoriesRepository } from './directories.repository.js';
import { DirectoriesService } from './directories.service.js';
import { DirectoryPurgeRepository } from './directory-purge.repository.js';
import { toRef, type DirectoryRecord } from './directory.types.js';

/** Rows per batch: each batch is one short transaction, so a purge never holds the writer for long. */
export const PURGE_BATCH_ROWS = 500;

/**
 * Deletes the rows of deleted directories in the background: resources (with their
 * memberships and index rows) in batches of PURGE_BATCH_ROWS, each its own unit of work,
 * then the directory's tokens, then its extension schemas and values with the directory row. A purge interrupted by a stop or a
 * crash resumes at the next start (the row keeps deleted_at until the very end); two
 * instances purging the same directory only delete the same rows twice over. Its audit rows
 * stay, with its id (never reused), until retention deletes them: the log shows what happened to it.
 */
@Injectable()
export class DirectoryPurgeService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DirectoryPurge');
  private readonly running = new Map<number, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly directories: DirectoriesService,
    private readonly repository: DirectoriesRepository,
    private readonly purge: DirectoryPurgeRepository,
    private readonly tokens: TokensService,
    private readonly units: UnitOfWorkService,
    private readonly extensions: ExtensionsRepository,
  ) {
    directories.onDeleted((directory) => this.start(directory));
  }

  /** Resumes every purge an earlier run left unfinished. */
  async onApplicationBootstrap(): Promise<void> {
    for (const directory of await this.directories.listDeleted()) this.start(directory);
  }

  /** Settles once every purge started so far has finished (tests; shutdown). */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.whenIdle();
  }

  private start(directory: DirectoryRecord): void {
    if (this.running.has(directory.id) || this.stopping) return;
    const run = this.run(directory)
      .catch((error: unknown) => {
        // The row keeps deleted_at: the next start resumes this purge.
        this.logger.error(`purge of directory ${directory.id} stopped: ${String(error)}`);
      })
      .finally(() => this.running.delete(directory.id));
    this.running.set(directory.id, run);
  }

  private async run(directory: DirectoryRecord): Promise<void> {
    const ctx = { ...systemContext('purge'), directory: toRef(directory) };
    let rows = 0;
    for (const table of this.directories.resourceTables()) {
      rows += await this.purgeTable(ctx, table);
      if (this.stopping) return;
    }
    await this.tokens.purgeDirectory(directory.id, PURGE_BATCH_ROWS, ctx);
    await this.units.run(ctx, async (uow) => {
      await this.extensions.deleteDirectory(uow);
      await this.repository.remove(uow, directory.id);
    });
    this.logger.log(`directory ${directory.id} (${directory.slug}) purged: ${rows} resources deleted`);
  }

  private async purgeTable(ctx: ReturnType<typeof systemContext>, table: ScopedTable): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.units.run(ctx, (uow) => this.purge.deleteBatch(uow, table, PURGE_BATCH_ROWS));
      total += deleted;
      if (deleted < PURGE_BATCH_ROWS || this.stopping) return total;
    }
  }
}
