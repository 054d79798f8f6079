import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ResourceResult, ScimContext, WorkContext } from '../common/http/scim-context.js';
import type { ScimResourceService } from '../common/http/scim-resource.controller.js';
import type { ListParams, ListPlanner } from '../common/list/list-planner.service.js';
import { logSafeList } from '../common/log/log-format.js';
import type { AppConfig } from '../config/app-config.js';
import { ResourceScope } from '../database/scope/resource-scope.js';
import { isUniqueViolation } from '../database/transaction.service.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { applyPatch } from '../scim/patch/apply-patch.js';
import { checkImmutable } from '../scim/resource/check-immutable.js';
import { checkIfMatch } from '../scim/resource/etag.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { parseProjection, projectResource, type Projection } from '../scim/resource/project-attributes.js';
import { validateResource } from '../scim/resource/resource-validator.js';
import { isPlainObject, toScimResource, weakEtag, type ScimObject } from '../scim/resource/scim-resource.js';
import type { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { toResourceWrite, uniqueValues, type ResourceWrite } from './resource-write.mapper.js';
import type { ResourceTypeParts } from './resource-type.parts.js';
import type { ResourceRepository, ResourceRow } from './resource.repository.js';

/** What the generic service needs besides its repository. */
export interface ResourceServiceDeps {
  readonly units: UnitOfWorkService;
  readonly catalog: SchemaCatalog;
  readonly lists: ListPlanner;
  readonly config: Pick<AppConfig, 'strictSchema' | 'limits' | 'patchLenient'>;
}

type ChangeOperation = 'replace' | 'patch';

/** A validated document split into what the row stores and what the type's parts write. */
interface Split<Extra> {
  readonly write: ResourceWrite;
  readonly extra: Extra | undefined;
}

/** One locked change: the new write, and whether the parts changed something the document does not show. */
interface Change {
  readonly write: ResourceWrite;
  readonly changed: boolean;
}

/**
 * The SCIM rules every resource type shares (RFC 7644 §3.3-§3.6, §3.14), for any
 * definition: validation against the request's effective schema, the body-id check,
 * immutability, If-Match, version moves only on change, uniqueness as 409, projection.
 * Every write runs in one unit of work and is recorded in it. What a type adds (Group
 * members, User groups) comes in as its ResourceTypeParts.
 */
export class ResourceService<Extra = unknown> implements ScimResourceService {
  private readonly logger: Logger;
  private readonly type: string;

  constructor(
    private readonly repository: ResourceRepository,
    private readonly deps: ResourceServiceDeps,
    private readonly parts: ResourceTypeParts<Extra> = {},
  ) {
    this.type = repository.definition.name;
    this.logger = new Logger(`ResourceService(${this.type})`);
  }

  projection(attributes: string | undefined, excludedAttributes: string | undefined, ctx: ScimContext): Projection {
    return parseProjection(this.schemas(ctx), this.type, attributes, excludedAttributes);
  }

  async create(body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const { write, extra } = this.split(this.validate(body, ctx));
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.guardUnique(() => write, () =>
      this.deps.units.run(ctx, async (uow) => {
        await this.repository.insert(uow, id, write, now);
        if (this.parts.afterInsert && extra !== undefined) await this.parts.afterInsert(uow, id, extra);
        await uow.record({ operation: 'create', resourceType: this.type, resourceId: id, version: 1 });
      }),
    );
    return this.result({ id, doc: write.doc, version: 1, created: now, last_modified: now }, projection, ctx);
  }

  async get(id: string, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const row = await this.repository.findById(ResourceScope.of(ctx.directory), id);
    if (!row) throw ScimException.notFound(this.type, id);
    return this.result(row, projection, ctx);
  }

  async list(params: ListParams, ctx: ScimContext): Promise<ListResponse> {
    const plan = await this.deps.lists.plan(this.type, params, ctx);
    const scope = ResourceScope.of(ctx.directory);
    const page = await this.repository.search(scope, plan.request, plan.registry);
    const computed = await this.computed(plan.registry, plan.projection, scope, page.rows, ctx);
    const resources = page.rows.map((row) => projectResource(plan.registry, this.type, this.toScim(row, ctx, computed(row)), plan.projection));
    return this.deps.lists.respond(plan, page, resources);
  }

  /** RFC 7644 §3.5.1: PUT replaces every writable attribute; it never creates. */
  async replace(id: string, body: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
      throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
    }
    const row = await this.change(id, ctx, 'replace', ifMatch, async (uow, stored) => {
      const { write, extra } = this.split(this.validate(body, ctx), stored);
      checkImmutable(this.schemas(ctx), this.type, stored, JSON.parse(write.doc) as ScimObject);
      const changed = this.parts.replaceExtra && extra !== undefined ? await this.parts.replaceExtra(uow, id, extra) : false;
      return { write, changed };
    });
    return this.result(row, projection, ctx);
  }

  /** RFC 7644 §3.5.2: the operations apply to a copy, which is validated as a whole. */
  async patch(id: string, operations: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    const row = await this.change(id, ctx, 'patch', ifMatch, async (uow, stored) => {
      const { limits, patchLenient } = this.deps.config;
      const patched = applyPatch(this.schemas(ctx), this.type, stored, operations, { lenient: patchLenient, limits });
      const { write } = this.split(this.validate(patched.resource, ctx), stored);
      const changed = this.parts.patchExtra ? await this.parts.patchExtra(uow, id, patched) : false;
      return { write, changed };
    });
    return this.result(row, projection, ctx);
  }

  async delete(id: string, ctx: WorkContext, ifMatch?: string): Promise<void> {
    const deleted = await this.deps.units.run(ctx, async (uow) => {
      const current = await this.repository.findForUpdate(uow, id);
      if (!current) return false;
      checkIfMatch(ifMatch, Number(current.version));
      if (this.parts.beforeDelete) {
        if (!(await this.repository.lockForDelete(uow, id))) return false;
        await this.parts.beforeDelete(uow, id, new Date().toISOString());
      }
      await this.repository.delete(uow, id);
      await uow.record({ operation: 'delete', resourceType: this.type, resourceId: id });
      return true;
    });
    if (!deleted) throw ScimException.notFound(this.type, id);
  }

  /** One locked read-change-write; version and lastModified move only when something changed. */
  private change(id: string, ctx: ScimContext, operation: ChangeOperation, ifMatch: string | undefined, work: (uow: UnitOfWork, stored: ScimObject) => Promise<Change>): Promise<ResourceRow> {
    let write: ResourceWrite | undefined;
    return this.guardUnique(() => write, () =>
      this.deps.units.run(ctx, async (uow: UnitOfWork) => {
        const current = await this.repository.findForUpdate(uow, id);
        if (!current) throw ScimException.notFound(this.type, id);
        checkIfMatch(ifMatch, Number(current.version));
        const stored = JSON.parse(current.doc) as ScimObject;
        const change = await work(uow, stored);
        write = change.write;
        if (current.doc === write.doc && !change.changed) return current;
        const now = new Date().toISOString();
        await this.parts.beforeUpdate?.(uow, id, stored, JSON.parse(write.doc) as ScimObject, now);
        await this.repository.replace(uow, id, write, now);
        const version = Number(current.version) + 1;
        await uow.record({ operation, resourceType: this.type, resourceId: id, version });
        return { ...current, doc: write.doc, version, last_modified: now };
      }),
    );
  }

  /** A unique index refusing the write is 409 uniqueness (RFC 7644 §3.3), naming the unique attributes. */
  private async guardUnique<T>(write: () => ResourceWrite | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const written = write();
      if (!isUniqueViolation(error) || !written) throw error;
      const values = uniqueValues(this.repository.definition.storage, JSON.parse(written.doc) as ScimObject);
      throw ScimException.uniqueness(`${values || 'A unique attribute'} is already taken`);
    }
  }

  private validate(body: unknown, ctx: ScimContext): ScimObject {
    const { strictSchema, limits } = this.deps.config;
    const validated = validateResource(this.schemas(ctx), this.type, body, { strict: strictSchema, limits });
    if (validated.unknownAttributes.length > 0) {
      this.logger.warn(`request ${ctx.requestId}: ignored unknown ${this.type} attributes: ${logSafeList(validated.unknownAttributes)}`);
    }
    return validated.doc;
  }

  /** The row's write from a validated document, and what the parts keep apart from it; `stored` is the document it replaces. */
  private split(validated: ScimObject, stored?: ScimObject): Split<Extra> {
    const { doc, extra } = this.parts.split ? this.parts.split(validated) : { doc: validated, extra: undefined };
    const write = toResourceWrite(this.repository.definition.storage, doc, this.deps.config.limits, stored);
    const names = this.parts.repository?.extraColumns ?? [];
    const values = this.parts.extraValues?.(doc) ?? [];
    if (names.length === 0) return { write, extra };
    return { write: { ...write, columns: [...names.map((column, i) => ({ column, value: values[i] ?? null })), ...write.columns] }, extra };
  }

  /** The computed attributes of a page, read only when the projection returns them. */
  private async computed(registry: SchemaRegistry, projection: Projection, scope: ResourceScope, rows: readonly ResourceRow[], ctx: ScimContext): Promise<(row: ResourceRow) => ScimObject> {
    const computed = this.parts.computed;
    if (!computed?.wanted(registry, projection)) return () => ({});
    return computed.readMany(scope, rows, ctx.baseUrl);
  }

  private location(ctx: ScimContext, id: string): string {
    return `${ctx.baseUrl}${this.repository.definition.endpoint}/${id}`;
  }

  private toScim(row: ResourceRow, ctx: ScimContext, computed: ScimObject = {}): ScimObject {
    return toScimResource(row, this.type, this.location(ctx, row.id), computed);
  }

  async result(row: ResourceRow, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const registry = this.schemas(ctx);
    const computed = this.parts.computed?.wanted(registry, projection)
      ? await this.parts.computed.readOne(ResourceScope.of(ctx.directory), row, ctx.baseUrl)
      : {};
    return {
      resource: projectResource(registry, this.type, this.toScim(row, ctx, computed), projection),
      location: this.location(ctx, row.id),
      version: weakEtag(Number(row.version)),
    };
  }

  /** The request's effective schema (RFC 7643 §7), compiled once per directory. */
  private schemas(ctx: ScimContext): SchemaRegistry {
    return this.deps.catalog.forDirectory(ctx.directory);
  }
}
