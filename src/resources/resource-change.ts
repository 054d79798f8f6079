import type { ScimContext } from '../common/http/scim-context.js';
import { isLockNotAvailable } from '../database/driver-error.js';
import { isUniqueViolation } from '../database/transaction.service.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { checkIfMatch } from '../scim/resource/etag.js';
import type { ScimObject } from '../scim/resource/scim-resource.js';
import type { ResourceSecrets } from './resource-secret.js';
import { changedAttributes, MAX_CHANGED_ATTRIBUTES, resourceNameOf } from './changed-attributes.js';
import type { ResourceTypeParts } from './resource-type.parts.js';
import { uniqueValues, type ResourceWrite } from './resource-write.mapper.js';
import type { ResourceRepository, ResourceRow } from './resource.repository.js';

export type ChangeOperation = 'replace' | 'patch';

/** A validated document split into what the row stores and what the type's parts write. */
export interface Split<Extra> {
  readonly write: ResourceWrite;
  readonly extra: Extra | undefined;
  /** The document the row stores. */
  readonly doc: ScimObject;
}

/**
 * One locked change: the new write, whether the parts changed something the document does
 * not show, and the new secret (null: keep the stored one; a new one is a change).
 */
export interface Change<Extra> extends Split<Extra> {
  readonly changed: boolean;
  readonly secret?: string | null;
}

/** A locked row with the columns the parts lock with it (lockedColumns). */
type LockedRow = ResourceRow & Readonly<Record<string, unknown>>;

/** What a locked read-change-write of one resource type needs. */
export interface ChangeRunner<Extra> {
  readonly type: string;
  readonly repository: ResourceRepository;
  readonly units: UnitOfWorkService;
  readonly parts: ResourceTypeParts<Extra>;
  readonly secrets: ResourceSecrets | undefined;
  /** Runs after the row is written, in its unit of work (the extension uniqueness side table). */
  readonly afterWrite?: (uow: UnitOfWork, id: string, doc: ScimObject) => Promise<void>;
}

/** The write with the secret's column (types without a secret: as it is). */
export function withSecret(
  secrets: ResourceSecrets | undefined,
  write: ResourceWrite,
  secret: string | null | undefined,
): ResourceWrite {
  return secrets ? { ...write, columns: [...write.columns, { column: secrets.column, value: secret ?? null }] } : write;
}

/** A unique index refusing the write is 409 uniqueness (RFC 7644 §3.3), naming the unique attributes. */
export async function guardUnique<T>(
  repository: ResourceRepository,
  write: () => ResourceWrite | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const written = write();
    if (!isUniqueViolation(error) || !written) throw error;
    const values = uniqueValues(repository.definition.storage, JSON.parse(written.doc) as ScimObject);
    throw ScimException.uniqueness(`${values || 'A unique attribute'} is already taken`);
  }
}

/**
 * One locked read-change-write; version and lastModified move only when the document,
 * the parts' data or the secret changed (RFC 7644 §3.5.2.1: no change, no new version).
 */
export function runChange<Extra>(
  runner: ChangeRunner<Extra>,
  ctx: ScimContext,
  request: { readonly id: string; readonly operation: ChangeOperation; readonly ifMatch: string | undefined },
  work: (uow: UnitOfWork, stored: ScimObject) => Promise<Change<Extra>>,
): Promise<ResourceRow> {
  let write: ResourceWrite | undefined;
  return guardUnique(
    runner.repository,
    () => write,
    () =>
      inLockOrder(runner, ctx, (relatedLocked) =>
        runner.units.run(ctx, async (uow) => {
          if (relatedLocked) await runner.parts.lockRelated?.(uow, request.id);
          const current = await runner.repository.findForUpdate<LockedRow>(uow, request.id);
          if (!current) throw ScimException.notFound(runner.type, request.id);
          checkIfMatch(request.ifMatch, Number(current.version));
          const stored = JSON.parse(current.doc) as ScimObject;
          const change = await work(uow, stored);
          write = change.write;
          if (current.doc === write.doc && !change.changed && !change.secret) {
            // No change, no new version; the request is in the log all the same.
            await recordChange(
              runner,
              uow,
              { ...request, current, stored, change, relatedLocked },
              Number(current.version),
            );
            return current;
          }
          return writeChange(runner, uow, { ...request, current, stored, change, relatedLocked });
        }),
      ),
  );
}

interface LockedChange<Extra> {
  readonly id: string;
  readonly operation: ChangeOperation;
  readonly current: LockedRow;
  readonly stored: ScimObject;
  readonly change: Change<Extra>;
  readonly relatedLocked: boolean;
}

/** Writes a change to the locked row, with the parts' hooks around it, and records it. */
async function writeChange<Extra>(
  runner: ChangeRunner<Extra>,
  uow: UnitOfWork,
  c: LockedChange<Extra>,
): Promise<ResourceRow> {
  const { parts, secrets } = runner;
  const now = new Date().toISOString();
  await parts.beforeUpdate?.(uow, c.id, c.stored, c.change.doc, now);
  // The writeOnly secret is kept when the write sets none (the client never sees it).
  const secret = c.change.secret ?? (secrets ? (c.current[secrets.column] as string | null) : null);
  await runner.repository.replace(uow, c.id, withSecret(secrets, c.change.write, secret), now);
  await runner.afterWrite?.(uow, c.id, c.change.doc);
  if (parts.afterUpdate && c.change.extra !== undefined) {
    const relatedLocked = c.relatedLocked;
    await parts.afterUpdate(uow, c.id, c.change.extra, { before: c.stored, after: c.change.doc, now, relatedLocked });
  }
  const version = Number(c.current.version) + 1;
  await recordChange(runner, uow, c, version);
  return { ...c.current, doc: c.change.write.doc, version, last_modified: now };
}

/** Records a create with its name and the members it was created with. */
export async function recordCreate<Extra>(
  runner: ChangeRunner<Extra>,
  uow: UnitOfWork,
  id: string,
  doc: ScimObject,
): Promise<void> {
  const members = runner.parts.memberChange?.(uow, id);
  const resourceName = resourceNameOf(doc);
  await uow.record({
    operation: 'create',
    resourceType: runner.type,
    resourceId: id,
    version: 1,
    resourceName,
    ...(members ? { members } : {}),
  });
}

/** Records a delete with the name the resource had. */
export async function recordDelete<Extra>(
  runner: ChangeRunner<Extra>,
  uow: UnitOfWork,
  id: string,
  doc: ScimObject,
): Promise<void> {
  await uow.record({
    operation: 'delete',
    resourceType: runner.type,
    resourceId: id,
    resourceName: resourceNameOf(doc),
  });
}

/** Records a change with the paths it wrote (the secret by name only) and its member delta. */
async function recordChange<Extra>(
  runner: ChangeRunner<Extra>,
  uow: UnitOfWork,
  c: LockedChange<Extra>,
  version: number,
): Promise<void> {
  const members = runner.parts.memberChange?.(uow, c.id);
  const paths = changedAttributes(c.stored, c.change.doc);
  if (c.change.secret && runner.parts.secret) paths.push(runner.parts.secret.attribute);
  if (members && members.added.length + members.removed.length > 0) paths.push('members');
  await uow.record({
    operation: c.operation,
    resourceType: runner.type,
    resourceId: c.id,
    version,
    resourceName: resourceNameOf(c.change.doc),
    changedAttributes: paths.slice(0, MAX_CHANGED_ATTRIBUTES),
    ...(members ? { members } : {}),
  });
}

/**
 * The lock order of membership.sql.ts (related rows before this one): most changes bump
 * nothing related, so the first attempt locks only the row and the parts take related rows
 * without waiting; when one is held (55P03) the change runs again with them locked first.
 * Inside an outer unit of work a failed statement cannot be retried on its own (PostgreSQL
 * aborts the transaction), so there they are locked first at once.
 */
async function inLockOrder<T>(
  runner: ChangeRunner<unknown>,
  ctx: ScimContext,
  attempt: (relatedLocked: boolean) => Promise<T>,
): Promise<T> {
  if (!runner.parts.lockRelated) return attempt(false);
  if (runner.units.joins(ctx)) return attempt(true);
  try {
    return await attempt(false);
  } catch (error) {
    if (!isLockNotAvailable(error)) throw error;
    return attempt(true);
  }
}
