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
import type { ResourceRepository, ResourceRow } from './resource.repository.js';

/** What the generic service needs besides its repository. */
export interface ResourceServiceDeps {
  readonly units: UnitOfWorkService;
  readonly catalog: SchemaCatalog;
  readonly lists: ListPlanner;
  readonly config: Pick<AppConfig, 'strictSchema' | 'limits' | 'patchLenient'>;
}

type ChangeOperation = 'replace' | 'patch';

/**
 * The SCIM rules every resource type shares (RFC 7644 §3.3-§3.6, §3.14), for any
 * definition: validation against the request's effective schema, the body-id check,
 * immutability, If-Match, version moves only on change, uniqueness as 409, projection.
 * Every write runs in one unit of work and is recorded in it.
 */
export class ResourceService implements ScimResourceService {
  private readonly logger: Logger;
  private readonly type: string;

  constructor(
    private readonly repository: ResourceRepository,
    private readonly deps: ResourceServiceDeps,
  ) {
    this.type = repository.definition.name;
    this.logger = new Logger(`ResourceService(${this.type})`);
  }

  projection(attributes: string | undefined, excludedAttributes: string | undefined, ctx: ScimContext): Projection {
    return parseProjection(this.schemas(ctx), this.type, attributes, excludedAttributes);
  }

  async create(body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const write = this.toWrite(this.validate(body, ctx));
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.guardUnique(() => write, () =>
      this.deps.units.run(ctx, async (uow) => {
        await this.repository.insert(uow, id, write, now);
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
    const page = await this.repository.search(ResourceScope.of(ctx.directory), plan.request);
    const resources = page.rows.map((row) => projectResource(plan.registry, this.type, this.toScim(row, ctx), plan.projection));
    return this.deps.lists.respond(plan, page, resources);
  }

  /** RFC 7644 §3.5.1: PUT replaces every writable attribute; it never creates. */
  async replace(id: string, body: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
      throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
    }
    const row = await this.change(id, ctx, 'replace', ifMatch, (stored) => {
      const doc = this.validate(body, ctx);
      checkImmutable(this.schemas(ctx), this.type, stored, doc);
      return this.toWrite(doc, stored);
    });
    return this.result(row, projection, ctx);
  }

  /** RFC 7644 §3.5.2: the operations apply to a copy, which is validated as a whole. */
  async patch(id: string, operations: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    const row = await this.change(id, ctx, 'patch', ifMatch, (stored) => {
      const { limits, patchLenient } = this.deps.config;
      const patched = applyPatch(this.schemas(ctx), this.type, stored, operations, { lenient: patchLenient, limits });
      return this.toWrite(this.validate(patched.resource, ctx), stored);
    });
    return this.result(row, projection, ctx);
  }

  async delete(id: string, ctx: WorkContext, ifMatch?: string): Promise<void> {
    const deleted = await this.deps.units.run(ctx, async (uow) => {
      const current = await this.repository.findForUpdate(uow, id);
      if (!current) return false;
      checkIfMatch(ifMatch, Number(current.version));
      await this.repository.delete(uow, id);
      await uow.record({ operation: 'delete', resourceType: this.type, resourceId: id });
      return true;
    });
    if (!deleted) throw ScimException.notFound(this.type, id);
  }

  /** One locked read-change-write; version and lastModified move only when the document changed. */
  private change(id: string, ctx: ScimContext, operation: ChangeOperation, ifMatch: string | undefined, work: (stored: ScimObject) => ResourceWrite): Promise<ResourceRow> {
    let write: ResourceWrite | undefined;
    return this.guardUnique(() => write, () =>
      this.deps.units.run(ctx, async (uow: UnitOfWork) => {
        const current = await this.repository.findForUpdate(uow, id);
        if (!current) throw ScimException.notFound(this.type, id);
        checkIfMatch(ifMatch, Number(current.version));
        write = work(JSON.parse(current.doc) as ScimObject);
        if (current.doc === write.doc) return current;
        const now = new Date().toISOString();
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

  private toWrite(doc: ScimObject, stored?: ScimObject): ResourceWrite {
    return toResourceWrite(this.repository.definition.storage, doc, this.deps.config.limits, stored);
  }

  private location(ctx: ScimContext, id: string): string {
    return `${ctx.baseUrl}${this.repository.definition.endpoint}/${id}`;
  }

  private toScim(row: ResourceRow, ctx: ScimContext): ScimObject {
    return toScimResource(row, this.type, this.location(ctx, row.id));
  }

  private result(row: ResourceRow, projection: Projection, ctx: ScimContext): ResourceResult {
    return {
      resource: projectResource(this.schemas(ctx), this.type, this.toScim(row, ctx), projection),
      location: this.location(ctx, row.id),
      version: weakEtag(Number(row.version)),
    };
  }

  /** The request's effective schema (RFC 7643 §7), compiled once per directory. */
  private schemas(ctx: ScimContext): SchemaRegistry {
    return this.deps.catalog.forDirectory(ctx.directory);
  }
}
