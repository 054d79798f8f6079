import { Module } from '@nestjs/common';
import { DirectoriesRepository } from './directories.repository.js';
import { DirectoriesService } from './directories.service.js';
import { DirectoryPurgeRepository } from './directory-purge.repository.js';

/** Directory storage and resolution, shared by the HTTP layer and the CLI (which runs no purges). */
@Module({
  providers: [DirectoriesRepository, DirectoryPurgeRepository, DirectoriesService],
  exports: [DirectoriesRepository, DirectoryPurgeRepository, DirectoriesService],
})
export class DirectoriesCoreModule {}
