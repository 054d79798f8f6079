import type { AppConfig } from '../config/app-config.js';
import type { ResourceServices } from '../common/http/resource-services.js';
import type { ScimContext } from '../common/http/scim-context.js';
import type { ScimResourceService } from '../common/http/scim-resource.controller.js';
import { canonicalKeys } from '../scim/canonical-keys.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { isPlainObject } from '../scim/resource/scim-resource.js';
import type { ResourceTypeDefinition } from '../scim/schema/resource-type.definition.js';
import { MESSAGE_PATCH_OP } from '../scim/scim.constants.js';
import type { BulkMethod } from './bulk-request.js';

/** What an operation that succeeded produced: the status its single call would have answered. */
export interface OperationOutcome {
  readonly status: number;
  readonly location: string;
  readonly version?: string;
  /** The id of the resource (a POST's new one). */
  readonly id: string;
}

/** One operation, its references already replaced by ids. */
export interface ResolvedOperation {
  readonly method: BulkMethod;
  readonly type: ResourceTypeDefinition;
  readonly id?: string;
  readonly data?: unknown;
  readonly version?: string;
}

/** The path of the single call an operation stands for, as the client would send it: the Bulk path's base + `path`. */
export function operationPath(ctx: ScimContext, path: string): string {
  return `${ctx.request?.path.replace(/\/bulk\/?$/i, '') ?? ''}${path}`;
}

/**
 * Runs one operation through the resource type's service, exactly as the single call
 * (RFC 7644 §3.7: same body, same rules, `version` as If-Match, §3.14), so each writes its
 * own unit of work and audit row unless `ctx` carries an outer unit. No representation is
 * built: a Bulk response may leave it out on success (§3.7.3).
 */
export class BulkOperationRunner {
  constructor(
    private readonly services: ResourceServices,
    private readonly config: AppConfig,
  ) {}

  async run(op: ResolvedOperation, bulkCtx: ScimContext): Promise<OperationOutcome> {
    const status = this.successStatus(op, bulkCtx);
    const ctx = this.operationContext(op, bulkCtx, status);
    const service = this.services.get(op.type.name);
    const projection = service.projection('id', undefined, ctx);
    switch (op.method) {
      case 'POST': {
        const result = await service.create(op.data, projection, ctx);
        return { status, location: result.location, version: result.version, id: String(result.resource['id']) };
      }
      case 'PUT':
        return this.changed(status, await service.replace(this.id(op), op.data, projection, ctx, op.version), op);
      case 'PATCH':
        return this.changed(status, await this.patch(service, op, projection, ctx), op);
      case 'DELETE':
        await service.delete(this.id(op), ctx, op.version);
        return { status, location: this.location(op, ctx), id: this.id(op) };
    }
  }

  /** RFC 7644 §3.7: a PATCH operation's `data` is a whole PatchOp message (§3.5.2). */
  private patch(
    service: ScimResourceService,
    op: ResolvedOperation,
    projection: ReturnType<ScimResourceService['projection']>,
    ctx: ScimContext,
  ): Promise<{ location: string; version: string }> {
    const data = isPlainObject(op.data) ? canonicalKeys(op.data, ['schemas', 'Operations'], 'data') : undefined;
    const schemas = data?.['schemas'];
    const wanted = MESSAGE_PATCH_OP.toLowerCase();
    if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === wanted)) {
      throw ScimException.invalidSyntax(`data.schemas must contain "${MESSAGE_PATCH_OP}"`);
    }
    const operations = data?.['Operations'];
    if (!Array.isArray(operations) || operations.length === 0) {
      throw ScimException.invalidSyntax('data.Operations must contain at least one operation');
    }
    return service.patch(this.id(op), operations, projection, ctx, op.version);
  }

  /**
   * The context an operation runs in: the Bulk request's, with the HTTP facts of the single
   * call it stands for (its method, path and status), so its audit row reads as that call
   * would, tied to the Bulk request by the request id.
   */
  private operationContext(op: ResolvedOperation, ctx: ScimContext, status: number): ScimContext {
    const request = ctx.request;
    if (!request) return ctx;
    const path = operationPath(ctx, `${op.type.endpoint}${op.method === 'POST' ? '' : `/${this.id(op)}`}`);
    return { ...ctx, request: { ...request, method: op.method, path, status } };
  }

  /** What the single call would answer on success (PATCH: the directory's groupPatchStatus for Groups). */
  private successStatus(op: ResolvedOperation, ctx: ScimContext): number {
    if (op.method === 'POST') return 201;
    if (op.method === 'DELETE') return 204;
    if (op.method === 'PATCH') return this.services.patchStatus(op.type.name, this.config, ctx.directory);
    return 200;
  }

  private changed(
    status: number,
    result: { location: string; version: string },
    op: ResolvedOperation,
  ): OperationOutcome {
    return { status, location: result.location, version: result.version, id: this.id(op) };
  }

  private id(op: ResolvedOperation): string {
    return op.id ?? '';
  }

  location(op: Pick<ResolvedOperation, 'type' | 'id'>, ctx: ScimContext): string {
    return `${ctx.baseUrl}${op.type.endpoint}/${op.id ?? ''}`;
  }
}
