import { Inject, Injectable } from '@nestjs/common';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { ResourceServiceFactory } from '../resources/resource-service.factory.js';
import { ResourceService } from '../resources/resource.service.js';
import { GROUP_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import { GroupMembershipService } from './group-membership.service.js';
import { groupParts } from './group.parts.js';
import type { MemberRef } from './group.mapper.js';

/** SCIM rules for Groups (RFC 7643 §4.2, RFC 7644 §3.3–§3.6, §3.14): the shared ones, with the Group parts. */
@Injectable()
export class GroupsService extends ResourceService<MemberRef[]> {
  constructor(
    factory: ResourceServiceFactory,
    members: GroupMembershipService,
    membership: MembershipRepository,
    @Inject(SQL_DIALECT) dialect: SqlDialect,
  ) {
    const parts = groupParts(dialect, membership, members);
    super(factory.repository(GROUP_RESOURCE_TYPE, parts.repository), factory.serviceDeps(), parts);
  }
}
