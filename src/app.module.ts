import { Module, type DynamicModule } from '@nestjs/common';
import { APP_PIPE, RouterModule } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BulkModule } from './bulk/bulk.module.js';
import { ResourceEndpointsModule, type ResourceImplementation } from './common/http/resource-endpoints.module.js';
import { createScimValidationPipe } from './common/http/scim-validation.pipe.js';
import { ScimCoreModule } from './common/scim-core.module.js';
import type { LoadedConfiguration } from './config/config.module.js';
import type { MigrationClass } from './database/data-source.js';
import { DatabaseModule } from './database/database.module.js';
import { DeletedResourcesModule } from './deleted/deleted-resources.module.js';
import { effectiveSettings } from './directories/effective-settings.js';
import { DirectoriesModule } from './directories/directories.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { ExtensionsModule } from './extensions/extensions.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { GroupsService } from './groups/groups.service.js';
import { HealthModule } from './health/health.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { DEFAULT_SCHEMA_SOURCE, type SchemaSource } from './scim/schema/schema-catalog.js';
import { SearchModule } from './search/search.module.js';
import { UsersModule } from './users/users.module.js';
import { UsersService } from './users/users.service.js';

/** The services of the built-in resource types; groupPatchStatus 204 (per directory, else GROUP_PATCH_STATUS) spares huge groups a serialisation per PATCH. */
const IMPLEMENTATIONS: readonly ResourceImplementation[] = [
  { type: 'User', service: UsersService },
  {
    type: 'Group',
    service: GroupsService,
    patchStatus: (config, directory) => effectiveSettings(config, directory).groupPatchStatus,
  },
];

/**
 * Composes the modules. The SCIM modules are mounted under the configured base
 * path (default /scim/v2); the admin API and /health sit outside it. Each resource
 * type of `source` gets an endpoint; `migrations` create the tables of the types
 * registered besides the built-in ones.
 */
@Module({})
export class AppModule {
  static register(
    loaded: LoadedConfiguration,
    source: SchemaSource = DEFAULT_SCHEMA_SOURCE,
    migrations: readonly MigrationClass[] = [],
  ): DynamicModule {
    const endpoints = ResourceEndpointsModule.register(source.resourceTypes, IMPLEMENTATIONS, [
      UsersModule,
      GroupsModule,
    ]);
    const scimModules = [ResourceEndpointsModule, DiscoveryModule, SearchModule, BulkModule];
    const scimBasePath = loaded.config.scimBasePath;
    return {
      module: AppModule,
      imports: [
        loaded.module,
        DatabaseModule.register(migrations),
        ScimCoreModule.register(source),
        AuthModule,
        DirectoriesModule,
        HealthModule,
        RateLimitModule,
        endpoints,
        DiscoveryModule,
        SearchModule,
        BulkModule,
        ExtensionsModule,
        DeletedResourcesModule,
        AuditModule,
        RouterModule.register([{ path: scimBasePath.replace(/^\//, ''), children: scimModules }]),
      ],
      providers: [{ provide: APP_PIPE, useFactory: createScimValidationPipe }],
    };
  }
}
