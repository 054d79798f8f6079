import { Module } from '@nestjs/common';
import { AuditFailures } from './audit-failures.service.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditRecorder } from './audit-recorder.service.js';
import { AuditRetention } from './audit-retention.service.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** The provisioning log: success rows in each mutation's unit of work, failure rows after the response, retention, admin reads. */
@Module({
  controllers: [AuditController],
  providers: [AuditLogRepository, AuditRecorder, AuditFailures, AuditRetention, AuditService],
  exports: [AuditFailures, AuditRetention],
})
export class AuditModule {}
