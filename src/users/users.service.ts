import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash as argon2Hash, Algorithm } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ResourceResult, ScimContext, WorkContext } from '../common/http/scim-context.js';
import { ListPlanner, type ListParams } from '../common/list/list-planner.service.js';
import { logSafeList } from '../common/log/log-format.js';
import { isLockNotAvailable } from '../database/driver-error.js';
import { ResourceScope } from '../database/scope/resource-scope.js';
import { isUniqueViolation } from '../database/transaction.service.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { checkImmutable } from '../scim/resource/check-immutable.js';
import { checkIfMatch } from '../scim/resource/etag.js';
import { applyPatch } from '../scim/patch/apply-patch.js';
import type { ListResponse } from '../scim/resource/list-response.js';
import { parseProjection, projectionIncludes, projectResource, type Projection } from '../scim/resource/project-attributes.js';
import { validateResource, type ValidatedResource } from '../scim/resource/resource-validator.js';
import { isPlainObject, weakEtag, type ScimObject } from '../scim/resource/scim-resource.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { memberDisplay, toScimUser, toUserWrite, userLocation, type UserGroupRow, type UserRow } from './user.mapper.js';
import { indexedAttributesOf } from './multi-values.js';
import { UsersRepository } from './users.repository.js';

/** A PATCH needs another password's hash than the one computed before its transaction. */
class PasswordToHash extends Error {
  constructor(readonly password: string) {
    super('password to hash outside the transaction');
  }
}

interface PrehashedPassword {
  readonly password: string;
  readonly hash: string;
}

// The password depends on the operations only, so a second attempt already has its hash;
// the bound only keeps a pathological interleaving from looping.
const MAX_PATCH_HASH_ATTEMPTS = 3;

function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, { algorithm: Algorithm.Argon2id });
}

/** SCIM rules for Users (RFC 7644 §3.3–§3.6); storage is the repository's business. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly units: UnitOfWorkService,
    private readonly membership: MembershipRepository,
    private readonly catalog: SchemaCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lists: ListPlanner,
  ) {}

  projection(attributes: string | undefined, excludedAttributes: string | undefined, ctx: ScimContext): Projection {
    return parseProjection(this.schemas(ctx), 'User', attributes, excludedAttributes);
  }

  async create(body: unknown, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const validated = this.validate(body, ctx);
    const write = toUserWrite(validated.doc, indexedAttributesOf(this.schemas(ctx)), this.config.limits);
    const passwordHash = await this.hashOfValidated(validated);
    const id = randomUUID();
    const now = new Date().toISOString();
    try {
      await this.units.run(ctx, async (uow) => {
        await this.users.insert(uow, id, write, passwordHash, now);
        await uow.record({ operation: 'create', resourceType: 'User', resourceId: id, version: 1 });
      });
    } catch (error) {
      throw this.mapWriteError(error, write.userName);
    }
    const row: UserRow = { id, doc: write.doc, version: 1, created: now, last_modified: now };
    return this.result(row, projection, ctx);
  }

  async get(id: string, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const row = await this.users.findById(ResourceScope.of(ctx.directory), id);
    if (!row) throw ScimException.notFound('User', id);
    return this.result(row, projection, ctx);
  }

  async list(params: ListParams, ctx: ScimContext): Promise<ListResponse> {
    const plan = await this.lists.plan('User', params, ctx);
    const scope = ResourceScope.of(ctx.directory);
    const page = await this.users.search(scope, plan.request, plan.registry);
    const groups = this.wantsGroups(plan.registry, plan.projection) ? await this.membership.findGroupsOf(scope, page.rows.map((r) => r.id)) : [];
    const byUser = new Map<string, UserGroupRow[]>();
    for (const g of groups) {
      const list = byUser.get(g.user_id);
      if (list) list.push(g);
      else byUser.set(g.user_id, [g]);
    }
    const resources = page.rows.map((row) =>
      projectResource(plan.registry, 'User', toScimUser(row, byUser.get(row.id) ?? [], ctx.baseUrl), plan.projection),
    );
    return this.lists.respond(plan, page, resources);
  }

  /** RFC 7644 §3.5.1: PUT replaces every writable attribute; it never creates. */
  async replace(id: string, body: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    if (isPlainObject(body) && typeof body['id'] === 'string' && body['id'] !== id) {
      throw ScimException.invalidValue(`Body id '${body['id']}' does not match the URL id '${id}'`);
    }
    const validated = this.validate(body, ctx);
    const newHash = await this.hashOfValidated(validated);
    const row = await this.change(id, ctx, 'replace', ifMatch, async (current) => {
      checkImmutable(this.schemas(ctx), 'User', JSON.parse(current.doc) as ScimObject, validated.doc);
      return { validated, newHash };
    });
    return this.result(row, projection, ctx);
  }

  /**
   * RFC 7644 §3.5.2: operations applied in order to the stored document, all or nothing.
   * The password comes from the operations alone (the stored document never holds it), so
   * it is found and hashed before the transaction by applying them to a committed copy;
   * the transaction uses that hash only for that same password. When the locked document
   * yields another one (it changed in between), the transaction is abandoned, that password
   * hashed, and the PATCH run again: argon2 never runs while a transaction is open.
   */
  async patch(id: string, operations: unknown, projection: Projection, ctx: ScimContext, ifMatch?: string): Promise<ResourceResult> {
    let hashed = await this.prehashPatchPassword(id, operations, ctx);
    for (let attempt = 1; attempt <= MAX_PATCH_HASH_ATTEMPTS; attempt++) {
      try {
        const row = await this.change(id, ctx, 'patch', ifMatch, async (current) => {
          const validated = this.validate(this.applyPatchTo(current.doc, operations, ctx), ctx);
          const password = validated.writeOnly['password'];
          if (typeof password !== 'string') return { validated, newHash: null };
          if (hashed?.password === password) return { validated, newHash: hashed.hash };
          throw new PasswordToHash(password);
        });
        return this.result(row, projection, ctx);
      } catch (error) {
        if (!(error instanceof PasswordToHash)) throw error;
        hashed = { password: error.password, hash: await hashPassword(error.password) };
      }
    }
    throw ScimException.serviceUnavailable('The resource is busy; retry the request');
  }

  async delete(id: string, ctx: WorkContext, ifMatch?: string): Promise<void> {
    const deleted = await this.units.run(ctx, async (uow) => {
      await this.membership.lockGroupsOf(uow, id);
      const current = await this.users.findForUpdate(uow, id);
      if (!current) return false;
      checkIfMatch(ifMatch, Number(current.version));
      if (!(await this.users.delete(uow, id, new Date().toISOString()))) return false;
      await uow.record({ operation: 'delete', resourceType: 'User', resourceId: id });
      return true;
    });
    if (!deleted) throw ScimException.notFound('User', id);
  }

  /**
   * One locked read-change-write. The version and lastModified move only when the
   * document or the password changed (RFC 7644 §3.5.2.1: no change, no new version);
   * a userName collision is 409 uniqueness.
   */
  private async change(
    id: string,
    ctx: ScimContext,
    operation: 'replace' | 'patch',
    ifMatch: string | undefined,
    work: (current: UserRow) => Promise<{ validated: ValidatedResource; newHash: string | null }>,
  ): Promise<UserRow> {
    let userName = '';
    try {
      return await this.inLockOrder(ctx, (groupsFirst) => this.units.run(ctx, async (uow) => {
        if (groupsFirst) await this.membership.lockGroupsOf(uow, id);
        const current = await this.users.findForUpdate(uow, id);
        if (!current) throw ScimException.notFound('User', id);
        checkIfMatch(ifMatch, Number(current.version));
        const { validated, newHash } = await work(current);
        const before = JSON.parse(current.doc) as ScimObject;
        const write = toUserWrite(validated.doc, indexedAttributesOf(this.schemas(ctx)), this.config.limits, before);
        userName = write.userName;
        // writeOnly password: kept when the request does not set one (the client never sees it).
        if (current.doc === write.doc && newHash === null) return current;
        const now = new Date().toISOString();
        await this.users.replace(uow, id, write, newHash ?? current.password_hash, now);
        if (memberDisplay(before) !== (write.displayName ?? write.userName)) {
          await this.membership.bumpGroupsOf(uow, id, now, !groupsFirst);
        }
        const version = Number(current.version) + 1;
        await uow.record({ operation, resourceType: 'User', resourceId: id, version });
        return { ...current, doc: write.doc, version, last_modified: now };
      }));
    } catch (error) {
      throw this.mapWriteError(error, userName);
    }
  }

  /**
   * Groups before users (derived-versions.sql.ts): most changes bump no group, so the
   * first attempt locks only the user and takes its groups with NOWAIT if the member
   * display changed; when one is held, the change runs again with the groups locked first.
   * Inside an outer unit of work a failed statement cannot be retried on its own (PostgreSQL
   * aborts the transaction), so there the groups are locked first at once.
   */
  private async inLockOrder<T>(ctx: ScimContext, attempt: (groupsFirst: boolean) => Promise<T>): Promise<T> {
    if (this.units.joins(ctx)) return attempt(true);
    try {
      return await attempt(false);
    } catch (error) {
      if (!isLockNotAvailable(error)) throw error;
      return attempt(true);
    }
  }

  private validate(body: unknown, ctx: ScimContext): ValidatedResource {
    const validated = validateResource(this.schemas(ctx), 'User', body, { strict: this.config.strictSchema, limits: this.config.limits });
    if (validated.unknownAttributes.length > 0) {
      this.logger.warn(`request ${ctx.requestId}: ignored unknown User attributes: ${logSafeList(validated.unknownAttributes)}`);
    }
    return validated;
  }

  private async hashOfValidated(validated: ValidatedResource): Promise<string | null> {
    const password = validated.writeOnly['password'];
    return typeof password === 'string' ? hashPassword(password) : null;
  }

  private applyPatchTo(doc: string, operations: unknown, ctx: ScimContext): ScimObject {
    return applyPatch(this.schemas(ctx), 'User', JSON.parse(doc) as ScimObject, operations, { lenient: this.config.patchLenient, limits: this.config.limits }).resource;
  }

  /**
   * The password a PATCH sets, with its hash, worked out on the committed document outside
   * any transaction. Undefined when it sets none or does not apply there; any error is the
   * transaction's to report, on the locked document.
   */
  private async prehashPatchPassword(id: string, operations: unknown, ctx: ScimContext): Promise<PrehashedPassword | undefined> {
    // Most PATCHes set no password: skip the extra read and dry run. Only a speed-up: if a
    // password came through anyway, the transaction's PasswordToHash retry still hashes it.
    if (!/password/i.test(JSON.stringify(operations) ?? '')) return undefined;
    const committed = await this.users.findById(ResourceScope.of(ctx.directory), id);
    if (!committed) return undefined;
    let password: unknown;
    try {
      const resource = this.applyPatchTo(committed.doc, operations, ctx);
      password = validateResource(this.schemas(ctx), 'User', resource, { strict: this.config.strictSchema, limits: this.config.limits }).writeOnly['password'];
    } catch {
      return undefined;
    }
    return typeof password === 'string' ? { password, hash: await hashPassword(password) } : undefined;
  }

  /** `groups` costs a recursive query, so it is read only when the projection returns it. */
  private wantsGroups(registry: SchemaRegistry, projection: Projection): boolean {
    const groups = registry.resolve('User', { name: 'groups' });
    return groups !== undefined && projectionIncludes(projection, groups.attribute, groups.path);
  }

  private async result(row: UserRow, projection: Projection, ctx: ScimContext): Promise<ResourceResult> {
    const registry = this.schemas(ctx);
    const groups = this.wantsGroups(registry, projection) ? await this.membership.findGroupsOf(ResourceScope.of(ctx.directory), [row.id]) : [];
    const full = toScimUser(row, groups, ctx.baseUrl);
    return {
      resource: projectResource(registry, 'User', full, projection),
      location: userLocation(ctx.baseUrl, row.id),
      version: weakEtag(Number(row.version)),
    };
  }

  /** The request's effective schema (RFC 7643 §7), compiled once per directory. */
  private schemas(ctx: ScimContext): SchemaRegistry {
    return this.catalog.forDirectory(ctx.directory);
  }

  private mapWriteError(error: unknown, userName: string): unknown {
    if (isUniqueViolation(error)) {
      return ScimException.uniqueness(`userName '${userName}' is already taken`);
    }
    return error;
  }
}
