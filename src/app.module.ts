import { Module, type DynamicModule } from '@nestjs/common';
import { APP_PIPE, RouterModule } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { createScimValidationPipe } from './common/http/scim-validation.pipe.js';
import { ScimCoreModule } from './common/scim-core.module.js';
import type { LoadedConfiguration } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { HealthModule } from './health/health.module.js';
import { SearchModule } from './search/search.module.js';
import { UsersModule } from './users/users.module.js';

/**
 * Composes the modules. The SCIM modules are mounted under the configured base
 * path (default /scim/v2); the admin API and /health sit outside it.
 */
@Module({})
export class AppModule {
  static register(loaded: LoadedConfiguration): DynamicModule {
    const scimModules = [UsersModule, GroupsModule, DiscoveryModule, SearchModule];
    const scimBasePath = loaded.config.scimBasePath;
    return {
      module: AppModule,
      imports: [
        loaded.module,
        DatabaseModule,
        ScimCoreModule,
        AuthModule,
        HealthModule,
        ...scimModules,
        RouterModule.register([{ path: scimBasePath.replace(/^\//, ''), children: scimModules }]),
      ],
      providers: [{ provide: APP_PIPE, useFactory: createScimValidationPipe }],
    };
  }
}
