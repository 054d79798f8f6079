import { Inject, Injectable } from '@nestjs/common';
import { ResourceServices } from '../common/http/resource-services.js';
import type { ScimContext, WorkContext } from '../common/http/scim-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { registeredTable, ResourceScope, type ScopedTable } from '../database/scope/resource-scope.js';
import { isUniqueViolation } from '../database/transaction.service.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { ExtensionValuesRepository } from '../extensions/extension-values.repository.js';
import { uniqueValues } from '../resources/resource-write.mapper.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { ResourceResult } from '../common/http/scim-context.js';
import type { ScimObject } from '../scim/resource/scim-resource.js';
import type { ResourceTypeDefinition } from '../scim/schema/resource-type.definition.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import { DeletedResourcesRepository, type DeletedPosition, type DeletedRow } from './deleted-resources.repository.js';

/** A soft-deleted resource as the admin API lists it. */
export interface DeletedResourceView {
  readonly id: string;
  readonly resourceType: string;
  /** userName of a User, displayName of a Group. */
  readonly name?: string;
  readonly externalId?: string;
  readonly deletedAt: string;
  readonly created: string;
  readonly lastModified: string;
}

/** A page of deleted resources; `next` continues it (the `after` of the following page). */
export interface DeletedPage {
  readonly resources: DeletedResourceView[];
  readonly next?: string;
}

/** A resource type whose table keeps soft-deleted rows. */
interface SoftType {
  readonly definition: ResourceTypeDefinition;
  readonly table: ScopedTable;
}

/** The `after` of a page: `<deletedAt>_<id>`. */
export function positionText(row: Pick<DeletedRow, 'deleted_at' | 'id'>): string {
  return `${row.deleted_at}_${row.id}`;
}

export function parsePosition(text: string): DeletedPosition {
  const at = text.indexOf('_');
  return { deletedAt: text.slice(0, at), id: text.slice(at + 1) };
}

/** Newest first: deleted_at, then id, descending (one order across tables: ids are globally unique). */
function newestFirst(a: DeletedRow, b: DeletedRow): number {
  if (a.deleted_at !== b.deleted_at) return a.deleted_at < b.deleted_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The rules of soft-deleted resources (deletionPolicy "soft"): list them, restore one while
 * its unique keys are still free, purge one now, and purge those past SOFT_DELETE_RETENTION_DAYS.
 * A restore brings the row back without the memberships its delete removed (they are not kept).
 */
@Injectable()
export class DeletedResourcesService {
  private readonly extensionValues: ExtensionValuesRepository;

  constructor(
    private readonly repository: DeletedResourcesRepository,
    private readonly units: UnitOfWorkService,
    private readonly catalog: SchemaCatalog,
    private readonly services: ResourceServices,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.extensionValues = new ExtensionValuesRepository(config.limits);
  }

  /** The types whose deleted rows the API serves, optionally only `type`. */
  softTypes(type?: string): SoftType[] {
    return this.catalog
      .resourceTypes()
      .filter((d) => type === undefined || d.name === type)
      .map((definition) => ({ definition, table: registeredTable(definition.storage) }))
      .filter((t) => ResourceScope.keepsDeleted(t.table));
  }

  async list(
    ctx: WorkContext,
    type: string | undefined,
    after: string | undefined,
    count: number,
  ): Promise<DeletedPage> {
    const scope = ResourceScope.of(ctx.directory);
    const position = after === undefined ? undefined : parsePosition(after);
    const rows: (DeletedRow & { type: string })[] = [];
    for (const { definition, table } of this.softTypes(type)) {
      for (const row of await this.repository.list(scope, table, position, count + 1))
        rows.push({ ...row, type: definition.name });
    }
    rows.sort(newestFirst);
    const shown = rows.slice(0, count);
    return {
      resources: shown.map((row) => toView(row, row.type)),
      ...(rows.length > count ? { next: positionText(shown[shown.length - 1]) } : {}),
    };
  }

  /** 200 with the live resource; 404 when no such deleted resource; 409 when a live one holds its unique keys. */
  async restore(id: string, ctx: ScimContext): Promise<ResourceResult> {
    const registry = await this.catalog.current(ctx.directory);
    const restored = await this.units.run(ctx, async (uow) => {
      for (const { definition, table } of this.softTypes()) {
        const row = await this.repository.lock(uow, table, id);
        if (!row) continue;
        await this.restoreRow(uow, definition, table, row);
        await this.extensionValues.write(uow, registry, definition.name, id, JSON.parse(row.doc) as ScimObject, false);
        await uow.record({ operation: 'restore', resourceType: definition.name, resourceId: id });
        return definition.name;
      }
      return undefined;
    });
    if (!restored) throw ScimException.notFound('deleted resource', id);
    const service = this.services.get(restored);
    return service.get(id, service.projection(undefined, undefined, ctx), ctx);
  }

  private async restoreRow(
    uow: UnitOfWork,
    definition: ResourceTypeDefinition,
    table: ScopedTable,
    row: DeletedRow,
  ): Promise<void> {
    try {
      await this.repository.restore(uow, table, row.id, new Date().toISOString());
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const values = uniqueValues(definition.storage, JSON.parse(row.doc) as ScimObject);
      throw ScimException.uniqueness(`${values || 'A unique attribute'} is taken by a live ${definition.name}`);
    }
  }

  /** Deletes one deleted resource for good (204); 404 when there is none with that id. */
  async purge(id: string, ctx: WorkContext): Promise<void> {
    const purged = await this.units.run(ctx, async (uow) => {
      for (const { definition, table } of this.softTypes()) {
        if ((await this.repository.purge(uow, table, [id])) === 0) continue;
        await uow.record({ operation: 'purge', resourceType: definition.name, resourceId: id });
        return true;
      }
      return false;
    });
    if (!purged) throw ScimException.notFound('deleted resource', id);
  }

  /**
   * Purges the directory's rows deleted more than SOFT_DELETE_RETENTION_DAYS before `now`,
   * in batches of `batch` rows, each its own unit of work (a short transaction); the number purged.
   */
  async purgeExpired(ctx: WorkContext, now: number, batch: number): Promise<number> {
    const before = new Date(now - this.config.softDeleteRetentionDays * 86_400_000).toISOString();
    let total = 0;
    for (const { definition, table } of this.softTypes()) {
      for (;;) {
        const purged = await this.units.run(ctx, async (uow) => {
          const ids = await this.repository.expired(uow, table, before, batch);
          const n = await this.repository.purge(uow, table, ids);
          for (const id of ids) await uow.record({ operation: 'purge', resourceType: definition.name, resourceId: id });
          return { n, full: ids.length === batch };
        });
        total += purged.n;
        if (!purged.full) break;
      }
    }
    return total;
  }
}

function toView(row: DeletedRow, type: string): DeletedResourceView {
  const doc = JSON.parse(row.doc) as ScimObject;
  const name = type === 'User' ? doc['userName'] : doc['displayName'];
  return {
    id: row.id,
    resourceType: type,
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof doc['externalId'] === 'string' ? { externalId: doc['externalId'] } : {}),
    deletedAt: row.deleted_at,
    created: row.created,
    lastModified: row.last_modified,
  };
}
