import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { ResourceServiceFactory } from '../resources/resource-service.factory.js';
import { ResourceService } from '../resources/resource.service.js';
import { USER_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import type { MultiValueRow } from './multi-values.js';
import { userParts } from './user.parts.js';
import { UsersRepository } from './users.repository.js';

/** SCIM rules for Users (RFC 7643 §4.1, RFC 7644 §3.3–§3.6): the shared ones, with the User parts. */
@Injectable()
export class UsersService extends ResourceService<readonly MultiValueRow[]> {
  constructor(
    factory: ResourceServiceFactory,
    multiValues: UsersRepository,
    membership: MembershipRepository,
    @Inject(SQL_DIALECT) dialect: SqlDialect,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const parts = userParts({ dialect, membership, multiValues, limits: config.limits });
    super(factory.repository(USER_RESOURCE_TYPE, parts.repository), factory.serviceDeps(), parts);
  }
}
