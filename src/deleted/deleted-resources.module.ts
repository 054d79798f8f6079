import { Module } from '@nestjs/common';
import { DirectoriesCoreModule } from '../directories/directories-core.module.js';
import { DeletedPurgeService } from './deleted-purge.service.js';
import { DeletedResourcesController } from './deleted-resources.controller.js';
import { DeletedResourcesRepository } from './deleted-resources.repository.js';
import { DeletedResourcesService } from './deleted-resources.service.js';

/** Soft-deleted resources (deletionPolicy "soft"): the admin API and the retention purge. */
@Module({
  imports: [DirectoriesCoreModule],
  controllers: [DeletedResourcesController],
  providers: [DeletedResourcesRepository, DeletedResourcesService, DeletedPurgeService],
  exports: [DeletedPurgeService],
})
export class DeletedResourcesModule {}
