import { Module } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module.js';
import { UsersModule } from '../users/users.module.js';
import { RootSearchController } from './root-search.controller.js';
import { RootSearchService } from './root-search.service.js';

/** POST /.search at the SCIM root, across Users and Groups. */
@Module({
  imports: [UsersModule, GroupsModule],
  controllers: [RootSearchController],
  providers: [RootSearchService],
})
export class SearchModule {}
