import { Module } from '@nestjs/common';
import { GroupMembershipService } from './group-membership.service.js';
import { ResourceServiceFactory } from '../resources/resource-service.factory.js';
import { GroupsService } from './groups.service.js';

/** The Group resource type's parts; its /Groups endpoint and storage are made from GROUP_RESOURCE_TYPE. */
@Module({
  providers: [GroupsService, GroupMembershipService, ResourceServiceFactory],
  exports: [GroupsService],
})
export class GroupsModule {}
