import { Inject, Injectable } from '@nestjs/common';
import { type DirectoryRef, type DirectorySettings, type WorkContext } from '../common/http/scim-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { registeredTable } from '../database/scope/resource-scope.js';
import type { Mutation, UnitOfWork } from '../database/unit-of-work.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import { DirectoriesRepository, type DirectoryChange } from './directories.repository.js';
import { DirectoryPurgeRepository } from './directory-purge.repository.js';
import { GroupNameKeysRepository } from '../groups/group-name-keys.repository.js';
import { mergeSettings } from './directory-settings.js';
import { effectiveSettings } from './effective-settings.js';
import {
  DEFAULT_DIRECTORY_ID,
  RESERVED_SLUGS,
  SLUG_PATTERN,
  toRef,
  type DirectoryRecord,
  type ResolvedDirectory,
} from './directory.types.js';

export interface CreateDirectoryRequest {
  readonly slug: string;
  readonly displayName?: string;
  readonly settings?: DirectorySettings;
}

export interface UpdateDirectoryRequest {
  readonly displayName?: string;
  /** Keys set to null are removed: the setting follows its environment variable again. */
  readonly settings?: Record<string, unknown>;
}

interface CacheEntry {
  readonly value: ResolvedDirectory;
  readonly loadedAt: number;
}

const CACHE_MAX_ENTRIES = 1000;

/** A directory change as its unit of work records it: in that directory, named by its slug. */
function directoryMutation(operation: Mutation['operation'], directory: DirectoryRecord): Mutation {
  const id = directory.id;
  return {
    operation,
    resourceType: 'Directory',
    resourceId: String(id),
    resourceName: directory.slug,
    directoryId: id,
  };
}

/** Called once a directory's delete is accepted (the purge service starts deleting its rows). */
export type DeletedListener = (directory: DirectoryRecord) => void;

/**
 * Directories: create, read, change settings, disable, delete. Requests resolve their
 * directory here (by slug, or by id for the default one and directory-bound admin tokens)
 * through a cache whose entries live DIRECTORY_CACHE_TTL_MS: a change made on another
 * instance (settings, disable, delete) applies here within that bound; one made here
 * applies at once. Misses are not cached, so a directory created elsewhere works at once.
 * `generation` moves on every change this instance makes, for caches derived from directories.
 */
@Injectable()
export class DirectoriesService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly listeners: DeletedListener[] = [];
  private readonly groupNameKeys = new GroupNameKeysRepository();
  private changes = 0;

  constructor(
    private readonly repository: DirectoriesRepository,
    private readonly purge: DirectoryPurgeRepository,
    private readonly units: UnitOfWorkService,
    private readonly catalog: SchemaCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Moves on every change made on this instance. */
  get generation(): number {
    return this.changes;
  }

  onDeleted(listener: DeletedListener): void {
    this.listeners.push(listener);
  }

  /** The live directory a URL names, cached; null for an unknown, malformed or deleted slug. */
  async resolveSlug(slug: string): Promise<ResolvedDirectory | null> {
    if (!SLUG_PATTERN.test(slug)) return null;
    return this.cached(`s:${slug}`, () => this.repository.findBySlug(slug));
  }

  /** The live directory with this id, cached; null when there is none. */
  resolveId(id: number): Promise<ResolvedDirectory | null> {
    return this.cached(`i:${id}`, () => this.repository.findById(id));
  }

  async findBySlug(slug: string): Promise<DirectoryRef | null> {
    return (await this.resolveSlug(slug))?.ref ?? null;
  }

  /** A live directory, uncached (the admin API shows what is stored); 404 when there is none. */
  async get(id: number): Promise<DirectoryRecord> {
    const found = await this.repository.findById(id);
    if (!found) throw ScimException.notFound('Directory', String(id));
    return found;
  }

  list(afterId: number, limit: number): Promise<DirectoryRecord[]> {
    return this.repository.list(afterId, limit);
  }

  async create(request: CreateDirectoryRequest, ctx: WorkContext): Promise<DirectoryRecord> {
    const slug = request.slug;
    if (!SLUG_PATTERN.test(slug)) {
      throw ScimException.invalidValue(
        'slug must be 1-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit',
      );
    }
    if (RESERVED_SLUGS.has(slug)) throw ScimException.invalidValue(`The slug '${slug}' is reserved`);
    const created = await this.units.run(ctx, async (uow) => {
      const max = this.config.maxDirectories;
      if ((await this.repository.countLive(uow)) >= max)
        throw ScimException.conflict(`The server holds its maximum of ${max} directories (MAX_DIRECTORIES)`);
      const row = await this.repository.insert(
        uow,
        { slug, displayName: request.displayName ?? slug, settings: mergeSettings({}, { ...request.settings }) },
        new Date().toISOString(),
      );
      if (row) await uow.record(directoryMutation('create', row));
      return row;
    });
    if (!created) throw ScimException.uniqueness(`A directory with slug '${slug}' exists or is being deleted`);
    this.changed();
    return created;
  }

  async update(id: number, request: UpdateDirectoryRequest, ctx: WorkContext): Promise<DirectoryRecord> {
    const build = (current: DirectoryRecord): DirectoryChange => ({
      ...(request.displayName !== undefined ? { displayName: request.displayName } : {}),
      ...(request.settings ? { settings: mergeSettings(current.settings, request.settings) } : {}),
    });
    if (!request.settings || !('groupDisplayNameUnique' in request.settings)) return this.change(id, ctx, build);
    // The group name keys follow the setting in the same unit of work, in the directory's own scope.
    const target = await this.get(id);
    return this.change(id, { ...ctx, directory: toRef(target) }, build, (uow, before, after) =>
      this.followGroupNameSetting(uow, id, before, after),
    );
  }

  /**
   * Turning `groupDisplayNameUnique` on fills every group's key (the unique index then holds),
   * refused with 409 while two groups share a displayName; turning it off clears them.
   */
  private async followGroupNameSetting(
    uow: UnitOfWork,
    id: number,
    before: DirectorySettings,
    after: DirectorySettings,
  ): Promise<void> {
    const was = effectiveSettings(this.config, { settings: before }).groupDisplayNameUnique;
    const now = effectiveSettings(this.config, { settings: after }).groupDisplayNameUnique;
    if (was === now) return;
    if (!now) return this.groupNameKeys.clear(uow);
    const duplicates = await this.groupNameKeys.duplicates(uow);
    if (duplicates.length > 0) {
      throw ScimException.conflict(
        `Directory ${id} holds groups sharing a displayName (${duplicates.map((d) => `'${d}'`).join(', ')}); ` +
          'rename them before turning groupDisplayNameUnique on',
      );
    }
    await this.groupNameKeys.fill(uow);
  }

  /** A disabled directory answers its tokens with 403 (provisioning is disabled); its data stays. */
  setDisabled(id: number, disabled: boolean, ctx: WorkContext): Promise<DirectoryRecord> {
    return this.change(id, ctx, () => ({ disabled }));
  }

  /**
   * Accepts the delete of a directory: it disappears for every request at once (here; on
   * other instances within the cache bound) and its rows are deleted in the background.
   * Without `purge` a directory that holds any resource is refused (409). The default
   * directory cannot be deleted.
   */
  async delete(id: number, purge: boolean, ctx: WorkContext): Promise<void> {
    if (id === DEFAULT_DIRECTORY_ID) throw ScimException.conflict('The default directory cannot be deleted');
    const target = await this.get(id);
    const deleted = await this.units.run({ ...ctx, directory: toRef(target) }, async (uow) => {
      const current = await this.repository.findForUpdate(uow, id);
      if (!current) return null;
      if (!purge && (await this.holdsResources(uow))) {
        throw ScimException.conflict(
          `Directory ${id} holds users or groups; delete it with ?purge=true to delete them too`,
        );
      }
      const at = new Date().toISOString();
      await this.repository.markDeleted(uow, id, at);
      await uow.record(directoryMutation('delete', current));
      return { ...current, deletedAt: at };
    });
    if (!deleted) throw ScimException.notFound('Directory', String(id));
    this.changed();
    for (const listener of this.listeners) listener(deleted);
  }

  /** Directories whose delete was accepted and whose rows may remain (a purge to resume). */
  listDeleted(): Promise<DirectoryRecord[]> {
    return this.repository.listDeleted();
  }

  /** The tables a directory's resources live in: every routed resource type's. */
  resourceTables(): ReturnType<typeof registeredTable>[] {
    return this.catalog.resourceTypes().map((type) => registeredTable(type.storage));
  }

  private async holdsResources(uow: UnitOfWork): Promise<boolean> {
    for (const table of this.resourceTables()) if (await this.purge.holdsAny(uow, table)) return true;
    return false;
  }

  private async change(
    id: number,
    ctx: WorkContext,
    build: (current: DirectoryRecord) => DirectoryChange,
    follow?: (uow: UnitOfWork, before: DirectorySettings, after: DirectorySettings) => Promise<void>,
  ): Promise<DirectoryRecord> {
    const updated = await this.units.run(ctx, async (uow) => {
      const current = await this.repository.findForUpdate(uow, id);
      if (!current) return null;
      const change = build(current);
      const at = new Date().toISOString();
      await follow?.(uow, current.settings, change.settings ?? current.settings);
      await this.repository.update(uow, current, change, at);
      await uow.record({ ...directoryMutation('replace', current), changedAttributes: Object.keys(change) });
      return { ...current, ...change, lastModified: at, version: current.version + 1 };
    });
    if (!updated) throw ScimException.notFound('Directory', String(id));
    this.changed();
    return updated;
  }

  private changed(): void {
    this.changes++;
    this.cache.clear();
  }

  private async cached(key: string, load: () => Promise<DirectoryRecord | null>): Promise<ResolvedDirectory | null> {
    const ttl = this.config.directoryCacheTtlMs;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.loadedAt < ttl) return hit.value;
    const record = await load();
    if (!record) {
      this.cache.delete(key);
      return null;
    }
    const value: ResolvedDirectory = { ref: toRef(record), disabled: record.disabled };
    if (ttl > 0) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { value, loadedAt: now });
    }
    return value;
  }
}
