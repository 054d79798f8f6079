import { Module } from '@nestjs/common';
import { GroupMembershipService } from './group-membership.service.js';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';

/** The Group resource type's parts; its /Groups endpoint is made from GROUP_RESOURCE_TYPE (ResourceEndpointsModule). */
@Module({
  providers: [GroupsService, GroupMembershipService, GroupsRepository],
  exports: [GroupsService],
})
export class GroupsModule {}
