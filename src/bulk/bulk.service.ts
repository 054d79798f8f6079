import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ResourceServices } from '../common/http/resource-services.js';
import type { ScimContext } from '../common/http/scim-context.js';
import { AuditFailures } from '../audit/audit-failures.service.js';
import { operationFailureEntry } from '../audit/operation-failure.js';
import type { AuditEntry } from '../audit/audit.types.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { toErrorBody } from '../scim/errors/error-body.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { ResourceTypeDefinition } from '../scim/schema/resource-type.definition.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import { MESSAGE_BULK_RESPONSE } from '../scim/scim.constants.js';
import { BulkOperationRunner, operationPath, type OperationOutcome } from './bulk-operation.runner.js';
import { processingOrder, type BulkStep } from './bulk-order.js';
import { bulkIdDefiners, planOperation, type PlannedOperation } from './bulk-plan.js';
import { resolveReferences, withoutReferences } from './bulk-references.js';
import { parseBulkRequest, type BulkMethod } from './bulk-request.js';

/** One entry of a BulkResponse's `Operations` (RFC 7644 §3.7.3). */
export type BulkOperationResult = Readonly<Record<string, unknown>>;

/** What a request's operations have done so far. */
class BulkRun {
  readonly ids = new Map<string, string>();
  private readonly results: { readonly index: number; readonly result: BulkOperationResult }[] = [];
  errors = 0;

  constructor(
    readonly planned: readonly PlannedOperation[],
    readonly definers: ReadonlyMap<string, number>,
    private readonly failOnErrors: number | undefined,
    /** Told of every failed operation (its audit row: the Bulk response itself is 200). */
    private readonly onFailed: (p: PlannedOperation, error: ScimException) => void,
  ) {}

  /** RFC 7644 §3.7.3: after `failOnErrors` errors the rest is not processed. */
  get stopped(): boolean {
    return this.failOnErrors !== undefined && this.errors >= this.failOnErrors;
  }

  succeeded(p: PlannedOperation, outcome: OperationOutcome): void {
    if (p.op.method === 'POST' && p.op.bulkId !== undefined) this.ids.set(p.op.bulkId, outcome.id);
    this.results.push({
      index: p.op.index,
      result: {
        ...echo(p),
        location: outcome.location,
        ...(outcome.version === undefined ? {} : { version: outcome.version }),
        status: String(outcome.status),
      },
    });
  }

  failed(p: PlannedOperation, error: ScimException, location: string | undefined): void {
    this.errors++;
    this.onFailed(p, error);
    this.results.push({
      index: p.op.index,
      result: {
        ...echo(p),
        ...(location === undefined || p.op.method === 'POST' ? {} : { location }),
        status: String(error.status),
        response: toErrorBody(error),
      },
    });
  }

  /**
   * The results in the order of the request's operations, whatever order references made
   * them run in (RFC 7644 §3.7.3): a client matching them by position finds its own.
   */
  inRequestOrder(): BulkOperationResult[] {
    return [...this.results].sort((a, b) => a.index - b.index).map((r) => r.result);
  }

  /** The first reference of `p` (outside `pending`) whose operation did not create a resource. */
  blockedBy(p: PlannedOperation, pending: ReadonlySet<string> = new Set()): ScimException | undefined {
    for (const bulkId of p.references) {
      if (this.ids.has(bulkId) || pending.has(bulkId)) continue;
      return ScimException.conflict(
        `bulkId '${bulkId}' names no resource: Operations[${this.definers.get(bulkId)}] did not create one`,
      );
    }
    return undefined;
  }
}

/** The type of an operation that passed planning (every such operation has one). */
function typeOf(p: PlannedOperation): ResourceTypeDefinition {
  if (!p.type) throw ScimException.routeNotFound(p.op.method, p.op.path ?? '');
  return p.type;
}

function echo(p: PlannedOperation): Record<string, unknown> {
  return { method: p.op.method, ...(p.op.bulkId === undefined ? {} : { bulkId: p.op.bulkId }) };
}

/**
 * POST /Bulk (RFC 7644 §3.7). Operations run in the client's order, an operation after the
 * ones whose bulkIds it refers to (§3.7.2); each is atomic on its own, through its type's
 * service with the request's context. Circular references (§3.7.1) are resolved in one unit
 * of work: the circle's resources are created without the references to each other, then
 * replaced with them; when the result is refused (a membership cycle) the whole circle is 409.
 */
@Injectable()
export class BulkService {
  private readonly logger = new Logger(BulkService.name);
  private readonly runner: BulkOperationRunner;

  constructor(
    services: ResourceServices,
    private readonly catalog: SchemaCatalog,
    private readonly units: UnitOfWorkService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: AuditFailures,
  ) {
    this.runner = new BulkOperationRunner(services, config);
  }

  /** The failure row of one operation, under the Bulk request's id, as its single call would have had. */
  private auditFailure(p: PlannedOperation, error: ScimException, ctx: ScimContext, rows: AuditEntry[]): void {
    if (!this.failures.enabled) return;
    rows.push(
      operationFailureEntry(
        ctx,
        {
          method: p.op.method,
          path: operationPath(ctx, p.op.path ?? ''),
          resourceType: p.type?.name ?? this.typeOfPath(p.op.path),
          resourceId: p.id ?? null,
          body: p.op.data,
        },
        error,
      ),
    );
  }

  /** The resource type a path names (for the row of an operation refused before it had one), or null. */
  private typeOfPath(path: string | undefined): string | null {
    const segment = /^\/?([^/?]+)/.exec(path ?? '')?.[1]?.toLowerCase();
    const type = this.catalog.resourceTypes().find((t) => t.endpoint.replace(/^\//, '').toLowerCase() === segment);
    return type?.name ?? null;
  }

  async process(body: unknown, ctx: ScimContext): Promise<Record<string, unknown>> {
    const request = parseBulkRequest(body, {
      maxOperations: this.config.bulk.maxOperations,
      maxDataBytes: this.config.bodyLimitBytes,
    });
    const registry = await this.catalog.current(ctx.directory);
    const definers = bulkIdDefiners(request.operations);
    const planned = request.operations.map((op) => planOperation(op, registry, definers));
    const deps = planned.map((p) => new Set([...p.references].flatMap((bulkId) => definers.get(bulkId) ?? [])));
    const failed: AuditEntry[] = [];
    const run = new BulkRun(planned, definers, request.failOnErrors, (p, e) => this.auditFailure(p, e, ctx, failed));
    for (const step of processingOrder(deps)) {
      // Each step is its own unit of work; on SQLite its statements run synchronously, so the
      // loop lets other requests in between steps instead of holding the event loop for all.
      await new Promise((resolve) => setImmediate(resolve));
      if (run.stopped) break;
      if (step.circular) await this.runCircle(step, run, ctx);
      else await this.runOne(planned[step.ops[0]], run, ctx);
    }
    await this.failures.write(failed);
    return { schemas: [MESSAGE_BULK_RESPONSE], Operations: run.inRequestOrder() };
  }

  private async runOne(p: PlannedOperation, run: BulkRun, ctx: ScimContext): Promise<void> {
    const id = p.id === undefined ? undefined : (resolveReferences(p.id, run.ids) as string);
    // An id still naming a bulkId (its POST failed or never came) has no resource to locate.
    const located = p.type && !id?.toLowerCase().startsWith('bulkid:');
    const location = located && p.type ? this.runner.location({ type: p.type, id }, ctx) : undefined;
    const blocked = p.error ?? run.blockedBy(p);
    if (blocked || !p.type) {
      run.failed(p, blocked ?? ScimException.routeNotFound(p.op.method, p.op.path ?? ''), location);
      return;
    }
    const op = { method: p.op.method as BulkMethod, type: p.type, id, version: p.op.version };
    try {
      run.succeeded(p, await this.runner.run({ ...op, data: resolveReferences(p.op.data, run.ids) }, ctx));
    } catch (error) {
      run.failed(p, this.scimError(error, ctx), location);
    }
  }

  /** A circle of POSTs (§3.7.1): all of them, or none, in one unit of work. */
  private async runCircle(step: BulkStep, run: BulkRun, ctx: ScimContext): Promise<void> {
    const circle = step.ops.map((i) => run.planned[i]);
    const pending = new Set(circle.map((p) => p.op.bulkId as string));
    const names = `Operations[${step.ops.join(', ')}]`;
    const blocked = circle.findIndex((p) => p.error ?? run.blockedBy(p, pending));
    if (blocked >= 0) {
      const cause = circle[blocked];
      this.failCircle(circle, run, blocked, (cause.error ?? run.blockedBy(cause, pending)) as ScimException, names);
      return;
    }
    const progress = { index: -1, resolving: false };
    try {
      const outcomes = await this.units.run(ctx, (uow) =>
        this.resolveCircle(circle, pending, run.ids, { ...ctx, unitOfWork: uow }, progress),
      );
      circle.forEach((p, i) => run.succeeded(p, outcomes[i]));
    } catch (error) {
      const cause = this.scimError(error, ctx);
      const reported = progress.resolving
        ? ScimException.conflict(`The circular bulkId references of ${names} cannot be resolved: ${cause.detail}`)
        : cause;
      this.failCircle(circle, run, progress.index, reported, names);
    }
  }

  /**
   * In the circle's unit of work (`inner` joins it): each resource created without the
   * references to the others, then replaced with its whole body. `progress` says where it
   * stopped when it throws (a retried transaction starts it again).
   */
  private async resolveCircle(
    circle: readonly PlannedOperation[],
    pending: ReadonlySet<string>,
    known: ReadonlyMap<string, string>,
    inner: ScimContext,
    progress: { index: number; resolving: boolean },
  ): Promise<OperationOutcome[]> {
    const ids = new Map(known);
    for (const [index, p] of circle.entries()) {
      Object.assign(progress, { index, resolving: false });
      const data = resolveReferences(withoutReferences(p.op.data, pending), ids);
      const created = await this.runner.run({ method: 'POST', type: typeOf(p), data }, inner);
      ids.set(p.op.bulkId as string, created.id);
    }
    const done: OperationOutcome[] = [];
    for (const [index, p] of circle.entries()) {
      Object.assign(progress, { index, resolving: true });
      const id = ids.get(p.op.bulkId as string);
      const data = resolveReferences(p.op.data, ids);
      const replaced = await this.runner.run({ method: 'PUT', type: typeOf(p), id, data }, inner);
      done.push({ ...replaced, status: 201 });
    }
    return done;
  }

  /** The operation that failed gets its error; the others of its circle a 409 naming it. */
  private failCircle(
    circle: readonly PlannedOperation[],
    run: BulkRun,
    at: number,
    error: ScimException,
    names: string,
  ): void {
    const cause = circle[at]?.op.index ?? -1;
    for (const [i, p] of circle.entries()) {
      const own =
        i === at || at < 0
          ? error
          : ScimException.conflict(`Not processed: ${names} refer to each other and Operations[${cause}] failed`);
      run.failed(p, own, undefined);
    }
  }

  /** An operation's failure as its single call would answer it; anything unexpected is logged and 500. */
  private scimError(error: unknown, ctx: ScimContext): ScimException {
    if (error instanceof ScimException) return error;
    this.logger.error(`request ${ctx.requestId}: bulk operation failed`, error instanceof Error ? error.stack : error);
    return ScimException.internal(ctx.requestId);
  }
}
