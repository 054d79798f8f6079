import { Controller, Get, Param, Query } from '@nestjs/common';
import { RequireScope } from '../auth/auth.decorators.js';
import { DirectoryIdDto } from '../directories/dto/directory.dto.js';
import { AuditService, type AuditPage } from './audit.service.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

/**
 * The provisioning log over the admin API. `/admin/audit` is every directory's (and the
 * failed authentications no directory owns): a server-wide admin token only. A directory's
 * own log also accepts an admin token bound to it (the auth hook enforces both from the route).
 */
@Controller('admin')
@RequireScope('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit')
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.audit.list(query);
  }

  /** Rows of a purged directory stay readable here: the log keeps them until retention deletes them. */
  @Get('directories/:id/audit')
  listForDirectory(@Param() params: DirectoryIdDto, @Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.audit.list(query, params.id);
  }
}
