import { Injectable } from '@nestjs/common';
import { ScimException } from '../scim/errors/scim.exception.js';
import { AuditLogRepository } from './audit-log.repository.js';
import type { AuditView } from './audit.types.js';
import { DEFAULT_AUDIT_PAGE, type AuditQueryDto } from './dto/audit-query.dto.js';

export interface AuditPage {
  readonly entries: AuditView[];
  /** The cursor of the next (older) page; absent on the last. */
  readonly next?: string;
}

const CURSOR_PREFIX = 'a1:';

/** A cursor names the last row a page showed, base64url-encoded: opaque, URL-safe (RFC 3986 unreserved). */
function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(id) || id < 1)
    throw ScimException.invalidValue('cursor is not the next value of an earlier page');
  return id;
}

/** Times compare as the stored text: every row's time is a UTC ISO 8601 string of fixed width. */
function utc(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw ScimException.invalidValue(`${name} is not a date-time`);
  return new Date(ms).toISOString();
}

/** Reads the provisioning log, newest first, a page at a time. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditLogRepository) {}

  async list(query: AuditQueryDto, directoryId?: number): Promise<AuditPage> {
    const count = query.count ?? DEFAULT_AUDIT_PAGE;
    const rows = await this.repository.list({
      ...(directoryId !== undefined ? { directoryId } : {}),
      resourceType: query.resourceType,
      resourceId: query.resourceId,
      tokenId: query.tokenId,
      operation: query.operation,
      outcome: query.outcome,
      since: utc(query.since, 'since'),
      until: utc(query.until, 'until'),
      beforeId: query.cursor !== undefined ? decodeCursor(query.cursor) : undefined,
      limit: count + 1,
    });
    const entries = rows.slice(0, count);
    return rows.length > count ? { entries, next: encodeCursor(entries[entries.length - 1].id) } : { entries };
  }
}
