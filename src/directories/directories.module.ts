import { ExtensionsModule } from '../extensions/extensions.module.js';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DirectoriesCoreModule } from './directories-core.module.js';
import { DirectoriesController } from './directories.controller.js';
import { DirectoryPurgeService } from './directory-purge.service.js';
import { DirectoryTokensController } from './directory-tokens.controller.js';

/** The admin API of directories (/admin/directories, their tokens) and the background purge of deleted ones. */
@Module({
  imports: [DirectoriesCoreModule, AuthModule, ExtensionsModule],
  controllers: [DirectoriesController, DirectoryTokensController],
  providers: [DirectoryPurgeService],
  exports: [DirectoriesCoreModule, DirectoryPurgeService],
})
export class DirectoriesModule {}
