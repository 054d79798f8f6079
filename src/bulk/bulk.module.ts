import { Module } from '@nestjs/common';
import { BulkController } from './bulk.controller.js';
import { BulkService } from './bulk.service.js';

/** POST /Bulk over every registered resource type (ResourceServices is global). */
@Module({
  controllers: [BulkController],
  providers: [BulkService],
})
export class BulkModule {}
