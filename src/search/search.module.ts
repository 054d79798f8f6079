import { Module } from '@nestjs/common';
import { RootSearchController } from './root-search.controller.js';
import { RootSearchService } from './root-search.service.js';

/** POST /.search at the SCIM root, across the registered resource types (ResourceServices is global). */
@Module({
  controllers: [RootSearchController],
  providers: [RootSearchService],
})
export class SearchModule {}
