import { Module, type DynamicModule } from '@nestjs/common';
import { DEFAULT_SCHEMA_SOURCE, SchemaCatalog, type SchemaSource } from '../scim/schema/schema-catalog.js';
import { ScimUrlService } from './http/scim-url.service.js';
import { ListPlanner } from './list/list-planner.service.js';

/**
 * Makes the framework-free schema catalog (each directory's effective schema) and the
 * URL builder injectable everywhere.
 */
@Module({})
export class ScimCoreModule {
  static register(source: SchemaSource = DEFAULT_SCHEMA_SOURCE): DynamicModule {
    return {
      module: ScimCoreModule,
      global: true,
      providers: [{ provide: SchemaCatalog, useValue: new SchemaCatalog(source) }, ScimUrlService, ListPlanner],
      exports: [SchemaCatalog, ScimUrlService, ListPlanner],
    };
  }
}
