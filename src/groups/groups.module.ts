import { Module } from '@nestjs/common';
import { GroupMembershipService } from './group-membership.service.js';
import { GroupsController } from './groups.controller.js';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';

@Module({
  controllers: [GroupsController],
  providers: [GroupsService, GroupMembershipService, GroupsRepository],
  exports: [GroupsService],
})
export class GroupsModule {}
