import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ResourceResult, ScimContext, WorkContext } from '../common/http/scim-context.js';
import { ListPlanner, type ListParams } from '../common/list/list-planner.service.js';
import { logSafeList } from '../common/log/log-format.js';
import { ResourceScope } from '../database/scope/resource-scope.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { applyPatch } from '../scim/patch/apply-patch.js';
import { checkImmutable } from '../scim/resource/check-immutable.js';
import { checkIfMatch } from '../scim/resource/etag.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { parseProjection, projectionIncludes, projectResource, type Projection } from '../scim/resource/project-attributes.js';
import { validateResource } from '../scim/resource/resource-validator.js';
import { isPlainObject, weakEtag, type ScimObject } from '../scim/resource/scim-resource.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { GroupMembershipService } from './group-membership.service.js';
import { groupLocation, toGroupWrite, toScimGroup, type GroupRow, type GroupWrite, type MemberRef } from './group.mapper.js';
import { GroupsRepository } from './groups.repository.js';

/** SCIM rules for Groups (RFC 7643 §4.2, RFC 7644 §3.3–§3.6, §3.14). */
@Injectable()
export class GroupsService {
  private readonly logger = new Logger(GroupsService.name);

  constructor(
    private readonly groups: GroupsRepository,
    private readonly members: GroupMembershipService,
    private readonly units: UnitOfWorkService,
    private readonly membership: MembershipRepository,
    private readonly catalog: SchemaCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lists: ListPlanner,
  ) {}

  projection(attributes: string | undefined, excludedAttributes: string | undefined, ctx: ScimContext): Projection {
    return parseProjection(this.schemas(ctx), 'Group', attributes, excludedAttributes);
  }

  async create(body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const { write, members } = this.validate(body, ctx);
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.units.run(ctx, async (uow) => {
      await this.groups.insert(uow, id, write, now);
      if (members.length > 0) await this.members.replace(uow, id, members);
      await uow.record({ operation: 'create', resourceType: 'Group', resourceId: id, version: 1 });
    });
    return this.result({ id, doc: write.doc, version: 1, created: now, last_modified: now }, projection, ctx);
  }

  async get(id: string, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const row = await this.groups.findById(ResourceScope.of(ctx.directory), id);
    if (!row) throw ScimException.notFound('Group', id);
    return this.result(row, projection, ctx);
  }

  async list(params: ListParams, ctx: ScimContext): Promise<ListResponse> {
    const plan = await this.lists.plan('Group', params, ctx);
    const scope = ResourceScope.of(ctx.directory);
    const page = await this.groups.search(scope, plan.request);
    const members = this.wantsMembers(plan.registry, plan.projection) ? await this.membership.findMembersOf(scope, page.rows.map((r) => r.id)) : undefined;
    const resources = page.rows.map((row) =>
      projectResource(plan.registry, 'Group', toScimGroup(row, members?.get(row.id), ctx.baseUrl), plan.projection),
    );
    return this.lists.respond(plan, page, resources);
  }

  /** PUT replaces displayName, externalId and the member set (RFC 7644 §3.5.1). */
  async replace(id: string, body: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
      throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
    }
    const row = await this.change(id, ctx, 'replace', ifMatch, async (uow, current) => {
      const stored = JSON.parse(current.doc) as ScimObject;
      const { write, members } = this.validate(body, ctx, stored);
      checkImmutable(this.schemas(ctx), 'Group', stored, JSON.parse(write.doc) as ScimObject);
      return { write, membersChanged: await this.members.replace(uow, id, members) };
    });
    return this.result(row, projection, ctx);
  }

  /**
   * RFC 7644 §3.5.2: the document is patched in memory; member operations arrive
   * as a delta that runs as SQL, so the member list is never loaded.
   */
  async patch(id: string, operations: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    const row = await this.change(id, ctx, 'patch', ifMatch, async (uow, current) => {
      const stored = JSON.parse(current.doc) as ScimObject;
      const result = applyPatch(this.schemas(ctx), 'Group', stored, operations, {
        lenient: this.config.patchLenient,
        limits: this.config.limits,
      });
      const { write } = this.validate(result.resource, ctx, stored);
      const membersChanged = result.members ? await this.members.apply(uow, id, result.members) : false;
      return { write, membersChanged };
    });
    return this.result(row, projection, ctx);
  }

  async delete(id: string, ctx: WorkContext, ifMatch?: string): Promise<void> {
    const deleted = await this.units.run(ctx, async (uow) => {
      const current = await this.groups.findForUpdate(uow, id);
      if (!current) return false;
      checkIfMatch(ifMatch, Number(current.version));
      if (!(await this.groups.delete(uow, id, new Date().toISOString()))) return false;
      await uow.record({ operation: 'delete', resourceType: 'Group', resourceId: id });
      return true;
    });
    if (!deleted) throw ScimException.notFound('Group', id);
  }

  /** One locked read-change-write; version and lastModified move only when something changed. */
  private change(
    id: string,
    ctx: ScimContext,
    operation: 'replace' | 'patch',
    ifMatch: string | undefined,
    work: (uow: UnitOfWork, current: GroupRow) => Promise<{ write: GroupWrite; membersChanged: boolean }>,
  ): Promise<GroupRow> {
    return this.units.run(ctx, async (uow) => {
      const current = await this.groups.findForUpdate(uow, id);
      if (!current) throw ScimException.notFound('Group', id);
      checkIfMatch(ifMatch, Number(current.version));
      const { write, membersChanged } = await work(uow, current);
      if (current.doc === write.doc && !membersChanged) return current;
      const now = new Date().toISOString();
      if (JSON.parse(current.doc).displayName !== write.displayName) await this.groups.bumpForRename(uow, id, now);
      await this.groups.replace(uow, id, write, now);
      const version = Number(current.version) + 1;
      await uow.record({ operation, resourceType: 'Group', resourceId: id, version });
      return { ...current, doc: write.doc, version, last_modified: now };
    });
  }

  private validate(body: unknown, ctx: ScimContext, stored?: ScimObject): { write: GroupWrite; members: MemberRef[] } {
    const validated = validateResource(this.schemas(ctx), 'Group', body, { strict: this.config.strictSchema, limits: this.config.limits });
    if (validated.unknownAttributes.length > 0) {
      this.logger.warn(`request ${ctx.requestId}: ignored unknown Group attributes: ${logSafeList(validated.unknownAttributes)}`);
    }
    return toGroupWrite(validated.doc, this.config.limits, stored);
  }

  /** `members` is read only when the projection returns it (excludedAttributes=members reads no member row). */
  private wantsMembers(registry: SchemaRegistry, projection: Projection): boolean {
    const members = registry.resolve('Group', { name: 'members' });
    return members !== undefined && projectionIncludes(projection, members.attribute, members.path);
  }

  async result(row: GroupRow, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const registry = this.schemas(ctx);
    const rows = this.wantsMembers(registry, projection) ? await this.membership.findMembers(ResourceScope.of(ctx.directory), row.id) : undefined;
    return {
      resource: projectResource(registry, 'Group', toScimGroup(row, rows, ctx.baseUrl), projection),
      location: groupLocation(ctx.baseUrl, row.id),
      version: weakEtag(Number(row.version)),
    };
  }

  /** The request's effective schema (RFC 7643 §7), compiled once per directory. */
  private schemas(ctx: ScimContext): SchemaRegistry {
    return this.catalog.forDirectory(ctx.directory);
  }
}
