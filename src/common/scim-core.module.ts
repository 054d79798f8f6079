import { Global, Module } from '@nestjs/common';
import { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { ScimUrlService } from './http/scim-url.service.js';
import { ListPlanner } from './list/list-planner.service.js';

/** Makes the framework-free schema registry and the URL builder injectable everywhere. */
@Global()
@Module({
  providers: [{ provide: SchemaRegistry, useValue: new SchemaRegistry() }, ScimUrlService, ListPlanner],
  exports: [SchemaRegistry, ScimUrlService, ListPlanner],
})
export class ScimCoreModule {}
