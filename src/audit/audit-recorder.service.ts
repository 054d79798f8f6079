import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RequestInfo } from '../common/http/scim-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Mutation, UnitOfWork } from '../database/unit-of-work.js';
import { UnitOfWorkService } from '../database/unit-of-work.service.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { MAX_MEMBER_IDS, type AuditEntry } from './audit.types.js';

/** Bookkeeping, not changes to identities or their access: a token's lastUsedAt, a server_state claim. */
const UNRECORDED: ReadonlySet<Mutation['operation']> = new Set(['touch', 'claim']);

/** The status a success answers with when the controller names none (RequestInfo.status). */
const USUAL_STATUS: Readonly<Record<string, number>> = { POST: 201, PUT: 200, PATCH: 200, DELETE: 204 };

const MAX_NAME_CHARS = 256;

function memberColumns(mutation: Mutation): AuditEntry['members'] {
  const m = mutation.members;
  if (!m) return null;
  return {
    added: m.added.length,
    removed: m.removed.length,
    addedIds: m.added.slice(0, MAX_MEMBER_IDS),
    removedIds: m.removed.slice(0, MAX_MEMBER_IDS),
  };
}

/** Work without a request (start-up, bootstrap, the CLI): the system's own, named by its request id. */
const NO_REQUEST: RequestInfo = { method: 'SYSTEM', path: '', clientIp: '', userAgent: null };

/**
 * Writes the success row of every recorded mutation, as a unit-of-work hook: the INSERT
 * runs in the mutation's transaction, so the row commits with the change and a failed
 * insert rolls the change back. The server's own work (bootstrap, start-up) is recorded
 * with its principal `system` (tokenId null); a directory purge records nothing per row
 * (its accepted delete is the directory's `delete` row).
 */
@Injectable()
export class AuditRecorder implements OnModuleInit, OnModuleDestroy {
  private removeHook: (() => void) | undefined;

  constructor(
    private readonly units: UnitOfWorkService,
    private readonly repository: AuditLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.audit.enabled) return;
    this.removeHook = this.units.addHook((uow, mutation) => this.record(uow, mutation));
  }

  onModuleDestroy(): void {
    this.removeHook?.();
  }

  private async record(uow: UnitOfWork, mutation: Mutation): Promise<void> {
    if (UNRECORDED.has(mutation.operation)) return;
    await this.repository.insert(uow, this.entry(uow, mutation));
  }

  private entry(uow: UnitOfWork, mutation: Mutation): AuditEntry {
    const { context } = uow;
    const request = context.request ?? NO_REQUEST;
    return {
      directoryId: mutation.directoryId ?? context.directory.id,
      time: new Date().toISOString(),
      tokenId: context.principal.tokenId,
      tokenName: context.principal.tokenName,
      requestId: context.requestId,
      clientIp: request.clientIp || null,
      userAgent: request.userAgent,
      method: request.method,
      path: request.path,
      operation: mutation.operation,
      resourceType: mutation.resourceType,
      resourceId: mutation.resourceId,
      resourceName: mutation.resourceName?.slice(0, MAX_NAME_CHARS) ?? null,
      status: request.status ?? USUAL_STATUS[request.method] ?? 200,
      outcome: 'success',
      scimType: null,
      detail: null,
      changedAttributes: mutation.changedAttributes ?? null,
      members: memberColumns(mutation),
    };
  }
}
