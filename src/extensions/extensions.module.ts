import { DirectoriesCoreModule } from '../directories/directories-core.module.js';
import { Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SchemaCatalog } from '../scim/schema/schema-catalog.js';
import { loadExtensionsFile } from './extensions-file.loader.js';
import { ExtensionsController } from './extensions.controller.js';
import { ExtensionsRepository } from './extensions.repository.js';
import { ExtensionsService } from './extensions.service.js';
import { SchemaFreshnessInterceptor } from './schema-freshness.interceptor.js';

/**
 * Per-directory custom extension schemas: the admin API, their storage, and the catalog
 * reading them (each directory's registry adds its extensions, RFC 7643 §3.3).
 */
@Module({
  imports: [DirectoriesCoreModule],
  controllers: [ExtensionsController],
  providers: [
    ExtensionsRepository,
    ExtensionsService,
    { provide: APP_INTERCEPTOR, useClass: SchemaFreshnessInterceptor },
  ],
  exports: [ExtensionsService, ExtensionsRepository],
})
export class ExtensionsModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly repository: ExtensionsRepository,
    private readonly extensions: ExtensionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.catalog.useExtensions(this.repository, this.config.schemaRefreshMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.extensionsFile) await loadExtensionsFile(this.config.extensionsFile, this.extensions);
  }
}
