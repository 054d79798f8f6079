import { DirectoriesService } from '../directories/directories.service.js';
import { toRef } from '../directories/directory.types.js';
import { Injectable } from '@nestjs/common';
import type { DirectoryRef, WorkContext } from '../common/http/scim-context.js';
import { isUniqueViolation } from '../database/transaction.service.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { breakingChanges } from '../scim/schema/extension-change.js';
import {
  EXTENSION_LIMITS,
  parseExtensionDefinition,
  type ExtensionDefinition,
} from '../scim/schema/extension-definition.js';
import type { ResourceStorage } from '../scim/schema/resource-type.definition.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import { ExtensionsRepository, type StoredExtension } from './extensions.repository.js';

/**
 * Registers, replaces and removes a directory's extension schemas (RFC 7643 §3.3, §7).
 * Each change runs in one unit of work with the directory's schema version bump, and drops
 * this instance's compiled registry of the directory at once; other instances see the new
 * version within SCHEMA_REFRESH_MS. Changes that stored values would not survive (an
 * attribute removed or retyped) are 409 while values exist, unless removal is asked for:
 * the values then stay in the documents but are no longer returned or filterable.
 */
@Injectable()
export class ExtensionsService {
  constructor(
    private readonly repository: ExtensionsRepository,
    private readonly units: UnitOfWorkService,
    private readonly catalog: SchemaCatalog,
    private readonly directories: DirectoriesService,
  ) {}

  /** The directory, or 404 (an admin route names it by id). */
  async directory(id: number): Promise<DirectoryRef> {
    return toRef(await this.directories.get(id));
  }

  async list(directory: DirectoryRef): Promise<StoredExtension[]> {
    return this.repository.list(directory.id);
  }

  async get(directory: DirectoryRef, urn: string): Promise<StoredExtension> {
    const found = (await this.repository.list(directory.id)).find(
      (e) => e.schema.id.toLowerCase() === urn.toLowerCase(),
    );
    if (!found) throw ScimException.notFound('Schema', urn);
    return found;
  }

  /** Validates a definition as registration does (the start-up file uses it too). */
  parse(body: unknown): ExtensionDefinition {
    return parseExtensionDefinition(body, this.catalog.serverSchemaIds());
  }

  async register(directory: DirectoryRef, body: unknown, ctx: WorkContext): Promise<StoredExtension> {
    const extension = this.parse(body);
    const id = extension.schema.id;
    try {
      await this.change(directory, ctx, async (uow) => {
        if (await this.repository.findForUpdate(uow, id)) throw alreadyRegistered(id);
        if ((await this.repository.count(uow)) >= EXTENSION_LIMITS.schemasPerDirectory) {
          throw ScimException.invalidValue(
            `A directory has at most ${EXTENSION_LIMITS.schemasPerDirectory} extension schemas`,
          );
        }
        await this.checkLeftovers(uow, undefined, extension);
        await this.repository.insert(uow, extension, new Date().toISOString());
        await uow.record({
          operation: 'create',
          resourceType: 'Schema',
          resourceId: id,
          version: 1,
          resourceName: extension.schema.name,
        });
      });
    } catch (error) {
      // Two registrations of one URN at once: the unique index lets one through.
      if (isUniqueViolation(error)) throw alreadyRegistered(id);
      throw error;
    }
    return this.get(directory, id);
  }

  async replace(
    directory: DirectoryRef,
    urn: string,
    body: unknown,
    allowRemoval: boolean,
    ctx: WorkContext,
  ): Promise<StoredExtension> {
    const extension = this.parse(body);
    if (extension.schema.id.toLowerCase() !== urn.toLowerCase()) {
      throw ScimException.invalidValue(`Schema id '${extension.schema.id}' does not match the URL's '${urn}'`);
    }
    await this.change(directory, ctx, async (uow) => {
      const stored = await this.repository.findForUpdate(uow, urn);
      if (!stored) throw ScimException.notFound('Schema', urn);
      await this.checkBreaking(uow, stored, extension, allowRemoval);
      await this.checkLeftovers(uow, stored, extension);
      await this.forgetUnique(uow, stored, extension);
      await this.repository.update(uow, extension, new Date().toISOString());
      await uow.record({
        operation: 'replace',
        resourceType: 'Schema',
        resourceId: stored.schema.id,
        resourceName: extension.schema.name,
      });
    });
    return this.get(directory, urn);
  }

  async remove(directory: DirectoryRef, urn: string, allowRemoval: boolean, ctx: WorkContext): Promise<void> {
    await this.change(directory, ctx, async (uow) => {
      const stored = await this.repository.findForUpdate(uow, urn);
      if (!stored) throw ScimException.notFound('Schema', urn);
      const storage = this.storageOf(stored);
      for (const attribute of stored.schema.attributes) {
        if (!allowRemoval && (await this.repository.hasValues(uow, storage, stored.schema.id, attribute.name))) {
          throw inUse(`${stored.schema.id}:${attribute.name}`, 'removed');
        }
      }
      await this.forgetUnique(uow, stored, undefined);
      await this.repository.delete(uow, urn);
      await uow.record({
        operation: 'delete',
        resourceType: 'Schema',
        resourceId: stored.schema.id,
        resourceName: stored.schema.name,
      });
    });
  }

  /** One change of the directory's extensions, its schema version moved in the same transaction. */
  private async change(directory: DirectoryRef, ctx: WorkContext, work: (uow: UnitOfWork) => Promise<void>) {
    try {
      await this.units.run({ ...ctx, directory }, async (uow) => {
        // First: moving the version locks the directory's state row, so concurrent changes of
        // one directory's schemas run one after the other and each sees the others' rows
        // (the per-directory bound and the leftover checks hold on PostgreSQL too).
        await this.repository.bumpVersion(uow);
        await work(uow);
      });
    } finally {
      this.catalog.invalidate(directory.id);
    }
  }

  private async checkBreaking(
    uow: UnitOfWork,
    before: StoredExtension,
    after: ExtensionDefinition,
    allowRemoval: boolean,
  ): Promise<void> {
    const storage = this.storageOf(before);
    for (const change of breakingChanges(before, after)) {
      if (change.reason !== 'uniqueness' && allowRemoval) continue;
      if (await this.repository.hasValues(uow, storage, before.schema.id, change.attribute)) {
        throw inUse(`${before.schema.id}:${change.path}`, change.reason);
      }
    }
  }

  /**
   * Values an earlier definition left in the documents (removed with allowRemoval) would meet
   * a new number or boolean attribute of the same name, whose typed SQL comparison they may
   * not fit: such an attribute is 409 until those resources are replaced (PUT drops them).
   */
  private async checkLeftovers(uow: UnitOfWork, before: ExtensionDefinition | undefined, after: ExtensionDefinition) {
    const storage = this.storageOf(after);
    const sameType = before?.resourceType === after.resourceType;
    const known = new Map(sameType ? before.schema.attributes.map((a) => [a.name.toLowerCase(), a]) : []);
    const urn = after.schema.id;
    for (const attribute of after.schema.attributes) {
      const earlier = known.get(attribute.name.toLowerCase());
      if (!earlier) {
        if (TYPED.has(attribute.type) && (await this.repository.hasValues(uow, storage, urn, attribute.name)))
          throw leftovers(`${urn}:${attribute.name}`);
        continue;
      }
      // A sub-attribute removed with allowRemoval and added again may meet values of its old type.
      const earlierSubs = new Set((earlier.subAttributes ?? []).map((s) => s.name.toLowerCase()));
      for (const sub of attribute.subAttributes ?? []) {
        if (earlierSubs.has(sub.name.toLowerCase()) || !TYPED.has(sub.type)) continue;
        const at = { urn, attribute: attribute.name, sub: sub.name, multiValued: attribute.multiValued };
        if (await this.repository.hasSubValues(uow, storage, at))
          throw leftovers(`${urn}:${attribute.name}.${sub.name}`);
      }
    }
  }

  /** Drops the side-table rows of attributes that are no longer unique under `after`. */
  private async forgetUnique(uow: UnitOfWork, before: StoredExtension, after: ExtensionDefinition | undefined) {
    for (const attribute of before.schema.attributes) {
      if (attribute.uniqueness !== 'server') continue;
      const next = after?.resourceType === before.resourceType ? after : undefined;
      const kept = next?.schema.attributes.find((a) => a.name.toLowerCase() === attribute.name.toLowerCase());
      if (kept?.uniqueness === 'server' && kept.type === attribute.type && !kept.multiValued === !attribute.multiValued)
        continue;
      await this.repository.forgetUniqueValues(uow, before.resourceType, `${before.schema.id}:${attribute.name}`);
    }
  }

  private storageOf(extension: ExtensionDefinition): ResourceStorage {
    const type = this.catalog.resourceTypes().find((t) => t.name === extension.resourceType);
    if (!type) throw new Error(`resource type ${extension.resourceType} is not registered`);
    return type.storage;
  }
}

/** Types compared through a cast in SQL (numbers, booleans). */
function leftovers(path: string): ScimException {
  return ScimException.conflict(
    `Attribute '${path}' still has values from an earlier definition; replace (PUT) those resources first`,
  );
}

const TYPED: ReadonlySet<string> = new Set(['integer', 'decimal', 'boolean']);

function alreadyRegistered(id: string): ScimException {
  return ScimException.uniqueness(`Schema ${id} is already registered in this directory; PUT replaces it`);
}

function inUse(path: string, reason: 'removed' | 'retyped' | 'uniqueness'): ScimException {
  const what =
    reason === 'uniqueness'
      ? 'made unique (or its case rule changed) while resources hold values'
      : `${reason === 'removed' ? 'removed' : 'given another type'} while resources hold values`;
  const hint = reason === 'uniqueness' ? '' : '; ask for it with ?allowRemoval=true (the values stop being returned)';
  return ScimException.conflict(`Attribute '${path}' cannot be ${what}${hint}`);
}
