import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { toInt } from '../../common/list/query-transforms.js';

/** The largest page of audit rows one request returns. */
export const MAX_AUDIT_PAGE = 500;
export const DEFAULT_AUDIT_PAGE = 100;

const OPERATIONS = [
  'create',
  'replace',
  'patch',
  'delete',
  'restore',
  'purge',
  'issue',
  'revoke',
  'rotate',
  'expire',
  'authenticate',
];

/** GET /admin/audit and /admin/directories/{id}/audit: filters, and the cursor of the page after the last one read. */
export class AuditQueryDto {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  resourceType?: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  resourceId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 36)
  tokenId?: string;

  @IsOptional()
  @IsIn(OPERATIONS)
  operation?: string;

  @IsOptional()
  @IsIn(['success', 'failure'])
  outcome?: 'success' | 'failure';

  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  /** Opaque: the `next` of the previous page. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor must be the next value of an earlier page' })
  cursor?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE)
  count?: number;
}
