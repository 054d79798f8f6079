import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ResourceResult, ScimContext, WorkContext } from '../common/http/scim-context.js';
import type { ScimResourceService } from '../common/http/scim-resource.controller.js';
import type { ListParams, ListPlanner } from '../common/list/list-planner.service.js';
import { logSafeList } from '../common/log/log-format.js';
import type { AppConfig } from '../config/app-config.js';
import { effectiveSettings } from '../directories/effective-settings.js';
import { ResourceScope } from '../database/scope/resource-scope.js';
import type { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { applyPatch } from '../scim/patch/apply-patch.js';
import type { PatchResult } from '../scim/patch/patch.types.js';
import { checkImmutable } from '../scim/resource/check-immutable.js';
import { withoutStaleExtensions } from '../scim/resource/stale-extensions.js';
import { checkIfMatch } from '../scim/resource/etag.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { parseProjection, projectResource, type Projection } from '../scim/resource/project-attributes.js';
import { validateResource, type ValidatedResource } from '../scim/resource/resource-validator.js';
import { isPlainObject, toScimResource, weakEtag, type ScimObject } from '../scim/resource/scim-resource.js';
import type { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import type { ExtensionValuesRepository } from '../extensions/extension-values.repository.js';
import {
  guardUnique,
  recordCreate,
  recordDelete,
  runChange,
  withSecret,
  type ChangeRunner,
  type Split,
} from './resource-change.js';
import { toResourceWrite } from './resource-write.mapper.js';
import { ResourceSecrets, type PreparedSecret } from './resource-secret.js';
import type { ResourceTypeParts } from './resource-type.parts.js';
import type { ResourceRepository, ResourceRow } from './resource.repository.js';

/** What the generic service needs besides its repository. */
export interface ResourceServiceDeps {
  readonly units: UnitOfWorkService;
  readonly catalog: SchemaCatalog;
  readonly lists: ListPlanner;
  readonly config: Pick<
    AppConfig,
    | 'strictSchema'
    | 'limits'
    | 'patchLenient'
    | 'groupPatchStatus'
    | 'unknownMembers'
    | 'deletionPolicy'
    | 'groupDisplayNameUnique'
    | 'rateLimits'
  >;
  /** The side table of `uniqueness: "server"` extension values, written in each change's unit of work. */
  readonly extensionValues?: ExtensionValuesRepository;
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
  private readonly secrets: ResourceSecrets | undefined;
  /** The extraColumns extraValues gives values for: all but the secret's. */
  private readonly extraColumns: readonly string[];
  private readonly changes: ChangeRunner<Extra>;

  constructor(
    private readonly repository: ResourceRepository,
    private readonly deps: ResourceServiceDeps,
    private readonly parts: ResourceTypeParts<Extra> = {},
  ) {
    this.type = repository.definition.name;
    this.logger = new Logger(`ResourceService(${this.type})`);
    this.secrets = parts.secret ? new ResourceSecrets(parts.secret) : undefined;
    this.extraColumns = (parts.repository?.extraColumns ?? []).filter((c) => c !== parts.secret?.column);
    const values = deps.extensionValues;
    this.changes = {
      type: this.type,
      repository,
      units: deps.units,
      parts,
      secrets: this.secrets,
      ...(values
        ? {
            afterWrite: (uow, id, doc) =>
              values.write(uow, deps.catalog.forDirectory(uow.context.directory), this.type, id, doc, true),
          }
        : {}),
    };
  }

  projection(attributes: string | undefined, excludedAttributes: string | undefined, ctx: ScimContext): Projection {
    return parseProjection(this.schemas(ctx), this.type, attributes, excludedAttributes);
  }

  async create(body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    await this.deps.catalog.current(ctx.directory);
    const validated = this.validate(body, ctx);
    const { write, extra } = this.split(validated.doc, ctx);
    const secret = await this.secrets?.prepare(validated.writeOnly);
    const id = randomUUID();
    const now = new Date().toISOString();
    await guardUnique(
      this.repository,
      () => write,
      () =>
        this.deps.units.run(ctx, async (uow) => {
          await this.repository.insert(uow, id, withSecret(this.secrets, write, secret), now);
          await this.deps.extensionValues?.write(uow, this.schemas(ctx), this.type, id, validated.doc, false);
          if (this.parts.afterInsert && extra !== undefined) await this.parts.afterInsert(uow, id, extra);
          await recordCreate(this.changes, uow, id, validated.doc);
        }),
    );
    return this.result({ id, doc: write.doc, version: 1, created: now, last_modified: now }, projection, ctx);
  }

  async get(id: string, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    await this.deps.catalog.current(ctx.directory);
    const row = await this.repository.findById(ResourceScope.of(ctx.directory), id);
    if (!row) throw ScimException.notFound(this.type, id);
    return this.result(row, projection, ctx);
  }

  async list(params: ListParams, ctx: ScimContext): Promise<ListResponse> {
    await this.deps.catalog.current(ctx.directory);
    const plan = await this.deps.lists.plan(this.type, params, ctx);
    const scope = ResourceScope.of(ctx.directory);
    const page = await this.repository.search(scope, plan.request, plan.registry);
    const computed = await this.computed(plan.registry, plan.projection, scope, page.rows, ctx);
    const resources = page.rows.map((row) =>
      projectResource(plan.registry, this.type, this.toScim(row, ctx, computed(row)), plan.projection),
    );
    return this.deps.lists.respond(plan, page, resources);
  }

  /** RFC 7644 §3.5.1: PUT replaces every writable attribute; it never creates. */
  async replace(
    id: string,
    body: unknown,
    projection: Projection,
    ctx: ScimContext,
    ifMatch?: string,
  ): Promise<ResourceResult> {
    if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
      throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
    }
    await this.deps.catalog.current(ctx.directory);
    // Validated before the transaction: its secret is prepared outside one.
    const validated = this.validate(body, ctx);
    const secret = await this.secrets?.prepare(validated.writeOnly);
    const row = await runChange(this.changes, ctx, { id, operation: 'replace', ifMatch }, async (uow, stored) => {
      const split = this.split(validated.doc, ctx, stored);
      checkImmutable(this.schemas(ctx), this.type, stored, split.doc);
      const { extra } = split;
      const changed =
        this.parts.replaceExtra && extra !== undefined ? await this.parts.replaceExtra(uow, id, extra) : false;
      return { ...split, changed, secret };
    });
    return this.result(row, projection, ctx);
  }

  /** RFC 7644 §3.5.2: the operations apply to a copy, which is validated as a whole. */
  async patch(
    id: string,
    operations: unknown,
    projection: Projection,
    ctx: ScimContext,
    ifMatch?: string,
  ): Promise<ResourceResult> {
    await this.deps.catalog.current(ctx.directory);
    const secrets = this.secrets;
    if (!secrets) return this.result(await this.patchOnce(id, operations, ctx, ifMatch), projection, ctx);
    // A writeOnly secret comes from the operations alone (the stored document never holds
    // it): prepared before the transaction from the committed document; when the locked one
    // yields another value, the transaction is abandoned, that value prepared, and run again.
    const prepared = await secrets.forPatch(operations, () => this.committedWriteOnly(id, operations, ctx));
    return secrets.retrying(prepared, async (p) =>
      this.result(await this.patchOnce(id, operations, ctx, ifMatch, p), projection, ctx),
    );
  }

  private patchOnce(
    id: string,
    operations: unknown,
    ctx: ScimContext,
    ifMatch: string | undefined,
    prepared?: PreparedSecret,
  ): Promise<ResourceRow> {
    return runChange(this.changes, ctx, { id, operation: 'patch', ifMatch }, async (uow, stored) => {
      const patched = this.applyPatchTo(stored, operations, ctx);
      const validated = this.validate(patched.resource, ctx);
      const secret = this.secrets?.inTransaction(validated.writeOnly, prepared);
      const split = this.split(validated.doc, ctx, stored);
      const changed = this.parts.patchExtra ? await this.parts.patchExtra(uow, id, patched) : false;
      return { ...split, changed, secret };
    });
  }

  /** The writeOnly values the operations give on the committed document; undefined when they do not apply there. */
  private async committedWriteOnly(
    id: string,
    operations: unknown,
    ctx: ScimContext,
  ): Promise<Readonly<Record<string, unknown>> | undefined> {
    const committed = await this.repository.findById(ResourceScope.of(ctx.directory), id);
    if (!committed) return undefined;
    try {
      return this.validated(this.applyPatchTo(JSON.parse(committed.doc) as ScimObject, operations, ctx).resource, ctx)
        .writeOnly;
    } catch {
      // Any error is the transaction's to report, on the locked document.
      return undefined;
    }
  }

  private applyPatchTo(doc: ScimObject, operations: unknown, ctx: ScimContext): PatchResult {
    const { patchLenient } = effectiveSettings(this.deps.config, ctx.directory);
    const registry = this.schemas(ctx);
    const current = withoutStaleExtensions(registry, this.type, doc);
    return applyPatch(registry, this.type, current, operations, {
      lenient: patchLenient,
      limits: this.deps.config.limits,
    });
  }

  async delete(id: string, ctx: WorkContext, ifMatch?: string): Promise<void> {
    const registry = await this.deps.catalog.current(ctx.directory);
    const deleted = await this.deps.units.run(ctx, async (uow) => {
      await this.parts.lockRelated?.(uow, id);
      const current = await this.repository.findForUpdate(uow, id);
      if (!current) return false;
      checkIfMatch(ifMatch, Number(current.version));
      const now = new Date().toISOString();
      const soft = this.keepsDeleted(ctx);
      if (this.parts.beforeDelete) {
        if (!(await this.repository.lockForDelete(uow, id))) return false;
        await this.parts.beforeDelete(uow, id, now, soft);
      }
      await this.deps.extensionValues?.remove(uow, registry, this.type, id);
      if (soft) await this.repository.softDelete(uow, id, now);
      else await this.repository.delete(uow, id);
      await recordDelete(this.changes, uow, id, JSON.parse(current.doc) as ScimObject);
      return true;
    });
    if (!deleted) throw ScimException.notFound(this.type, id);
  }

  /** deletionPolicy "soft" (the directory's, else DELETION_POLICY) on a table that keeps deleted rows. */
  private keepsDeleted(ctx: WorkContext): boolean {
    return this.repository.keepsDeleted && effectiveSettings(this.deps.config, ctx.directory).deletionPolicy === 'soft';
  }

  private validate(body: unknown, ctx: ScimContext): ValidatedResource {
    const validated = this.validated(body, ctx);
    if (validated.unknownAttributes.length > 0) {
      this.logger.warn(
        `request ${ctx.requestId}: ignored unknown ${this.type} attributes: ${logSafeList(validated.unknownAttributes)}`,
      );
    }
    return validated;
  }

  private validated(body: unknown, ctx: ScimContext): ValidatedResource {
    const { strictSchema } = effectiveSettings(this.deps.config, ctx.directory);
    return validateResource(this.schemas(ctx), this.type, body, {
      strict: strictSchema,
      limits: this.deps.config.limits,
    });
  }

  /** The row's write from a validated document, and what the parts keep apart from it; `stored` is the document it replaces. */
  private split(validated: ScimObject, ctx: ScimContext, stored?: ScimObject): Split<Extra> {
    const { doc, extra } = this.parts.split
      ? this.parts.split(validated, this.schemas(ctx))
      : { doc: validated, extra: undefined };
    const write = toResourceWrite(this.repository.definition.storage, doc, this.deps.config.limits, stored);
    const names = this.extraColumns;
    if (names.length === 0) return { write, extra, doc };
    const values = this.parts.extraValues?.(doc, effectiveSettings(this.deps.config, ctx.directory)) ?? [];
    return {
      write: {
        ...write,
        columns: [...names.map((column, i) => ({ column, value: values[i] ?? null })), ...write.columns],
      },
      extra,
      doc,
    };
  }

  /** The computed attributes of a page, read only when the projection returns them. */
  private async computed(
    registry: SchemaRegistry,
    projection: Projection,
    scope: ResourceScope,
    rows: readonly ResourceRow[],
    ctx: ScimContext,
  ): Promise<(row: ResourceRow) => ScimObject> {
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
