import { Module } from '@nestjs/common';
import { ResourceServiceFactory } from '../resources/resource-service.factory.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** The User resource type's parts; its /Users endpoint is made from USER_RESOURCE_TYPE (ResourceEndpointsModule). */
@Module({
  providers: [UsersService, UsersRepository, ResourceServiceFactory],
  exports: [UsersRepository, UsersService],
})
export class UsersModule {}
