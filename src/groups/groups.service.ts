import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ResourceResult, ScimContext } from '../common/http/scim-context.js';
import { ListPlanner, type ListParams } from '../common/list/list-planner.service.js';
import { TransactionService, type TxScope } from '../database/transaction.service.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { checkImmutable } from '../scim/resource/check-immutable.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { parseProjection, projectionIncludes, projectResource, type Projection } from '../scim/resource/project-attributes.js';
import { validateResource } from '../scim/resource/resource-validator.js';
import { isPlainObject, weakEtag, type ScimObject } from '../scim/resource/scim-resource.js';
import { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { groupLocation, toGroupWrite, toScimGroup, type GroupRow, type GroupWrite, type MemberRef } from './group.mapper.js';
import { GroupsRepository, type ExistingMember } from './groups.repository.js';

/** SCIM rules for Groups (RFC 7643 §4.2, RFC 7644 §3.3–§3.6). */
@Injectable()
export class GroupsService {
  private readonly logger = new Logger(GroupsService.name);

  constructor(
    private readonly groups: GroupsRepository,
    private readonly tx: TransactionService,
    private readonly registry: SchemaRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lists: ListPlanner,
  ) {}

  projection(attributes?: string, excludedAttributes?: string): Projection {
    return parseProjection(this.registry, 'Group', attributes, excludedAttributes);
  }

  async create(body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const { write, members } = this.validate(body, ctx);
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.tx.run(async (tx) => {
      const targets = await this.resolveMembers(tx, id, members);
      await this.groups.insert(tx, id, write, now);
      await this.groups.addMembers(tx, id, targets);
      await this.groups.bumpUsers(tx, targets.filter((t) => t.type === 'User').map((t) => t.id), now);
    });
    return this.result({ id, doc: write.doc, version: 1, created: now, last_modified: now }, projection, ctx);
  }

  async get(id: string, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const row = await this.groups.findById(id);
    if (!row) throw ScimException.notFound('Group', id);
    return this.result(row, projection, ctx);
  }

  async list(params: ListParams, ctx: ScimContext): Promise<ListResponse> {
    const plan = await this.lists.plan('Group', params);
    const page = await this.groups.search(plan.request);
    const resources: ScimObject[] = [];
    for (const row of page.rows) resources.push((await this.result(row, plan.projection, ctx)).resource);
    return this.lists.respond(plan, page, resources);
  }

  /** PUT replaces displayName, externalId and the member set; members change as a set difference. */
  async replace(id: string, body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
      throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
    }
    const { write, members } = this.validate(body, ctx);
    const row = await this.tx.run(async (tx) => {
      const current = await this.groups.findForUpdate(tx, id);
      if (!current) throw ScimException.notFound('Group', id);
      checkImmutable(this.registry, 'Group', JSON.parse(current.doc) as ScimObject, JSON.parse(write.doc) as ScimObject);
      const membersChanged = await this.replaceMembers(tx, id, members);
      if (current.doc === write.doc && !membersChanged) return current;
      const now = new Date().toISOString();
      await this.groups.replace(tx, id, write, now);
      return { ...current, doc: write.doc, version: Number(current.version) + 1, last_modified: now };
    });
    return this.result(row, projection, ctx);
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.tx.run((tx) => this.groups.delete(tx, id, new Date().toISOString()));
    if (!deleted) throw ScimException.notFound('Group', id);
  }

  private validate(body: unknown, ctx: ScimContext): { write: GroupWrite; members: MemberRef[] } {
    const validated = validateResource(this.registry, 'Group', body, { strict: this.config.strictSchema });
    if (validated.unknownAttributes.length > 0) {
      this.logger.warn(`request ${ctx.requestId}: ignored unknown Group attributes: ${validated.unknownAttributes.join(', ')}`);
    }
    return toGroupWrite(validated.doc);
  }

  /**
   * Checks that every member exists (400 invalidValue naming the unknown ids, for
   * the whole request), that a stated type matches, and that no cycle would form.
   */
  private async resolveMembers(tx: TxScope, groupId: string, refs: readonly MemberRef[]): Promise<ExistingMember[]> {
    const ids = [...new Set(refs.map((r) => r.value))];
    if (ids.some((v) => v === '')) throw ScimException.invalidValue("Every member needs a 'value'");
    const found = await this.groups.findMemberTargets(tx, ids);
    const byId = new Map(found.map((f) => [f.id, f]));
    const unknown = ids.filter((v) => !byId.has(v));
    if (unknown.length > 0) throw ScimException.invalidValue(`Unknown member ids: ${unknown.slice(0, 20).join(', ')}`);
    for (const ref of refs) {
      if (ref.type && byId.get(ref.value)?.type !== ref.type) {
        throw ScimException.invalidValue(`Member ${ref.value} is not a ${ref.type}`);
      }
    }
    const nested = found.filter((f) => f.type === 'Group');
    if (nested.length > 0) await this.groups.lockGroupGraph(tx);
    for (const target of nested) {
      if (await this.groups.wouldCycle(tx, groupId, target.id)) {
        throw ScimException.invalidValue(`Adding group ${target.id} would make a membership cycle`);
      }
    }
    return found;
  }

  private async replaceMembers(tx: TxScope, groupId: string, refs: readonly MemberRef[]): Promise<boolean> {
    const wanted = await this.resolveMembers(tx, groupId, refs);
    const current = new Set(await this.groups.memberIds(tx, groupId));
    const wantedIds = new Set(wanted.map((w) => w.id));
    const toAdd = wanted.filter((w) => !current.has(w.id));
    const toRemove = [...current].filter((id) => !wantedIds.has(id));
    if (toAdd.length === 0 && toRemove.length === 0) return false;
    const now = new Date().toISOString();
    await this.groups.removeMembers(tx, groupId, toRemove);
    await this.groups.addMembers(tx, groupId, toAdd);
    // Removed ids that are groups match no user row; the statement skips them.
    await this.groups.bumpUsers(tx, [...toAdd.filter((t) => t.type === 'User').map((t) => t.id), ...toRemove], now);
    return true;
  }

  /** `members` is read only when the projection returns it (excludedAttributes=members reads no member row). */
  private async result(row: GroupRow, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const members = this.registry.resolve('Group', { name: 'members' });
    const wantsMembers = members !== undefined && projectionIncludes(projection, members.attribute, members.path);
    const rows = wantsMembers ? await this.groups.findMembers(row.id) : undefined;
    return {
      resource: projectResource(this.registry, 'Group', toScimGroup(row, rows, ctx.baseUrl), projection),
      location: groupLocation(ctx.baseUrl, row.id),
      version: weakEtag(Number(row.version)),
    };
  }
}
