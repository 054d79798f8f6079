import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { BulkController } from './bulk.controller.js';
import { BulkService } from './bulk.service.js';

/** POST /Bulk over every registered resource type (ResourceServices is global). */
@Module({
  imports: [AuditModule],
  controllers: [BulkController],
  providers: [BulkService],
})
export class BulkModule {}
