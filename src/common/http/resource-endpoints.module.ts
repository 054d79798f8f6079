import { Module, type DynamicModule, type Type } from '@nestjs/common';
import type { ResourceTypeDefinition } from '../../scim/schema/resource-type.definition.js';
import { createResourceController } from './resource-controller.factory.js';
import { ResourceServices, type ResourceServiceBinding } from './resource-services.js';
import type { ScimResourceService } from './scim-resource.controller.js';

/** A resource type's service class, as a module provides it. */
export interface ResourceImplementation extends Omit<ResourceServiceBinding, 'service'> {
  readonly service: Type<ScimResourceService>;
}

/**
 * One endpoint per registered resource type (its controller made from the definition),
 * and ResourceServices, the lookup from type name to service (global: root search uses it).
 * `imports` are the modules that provide the implementations' services.
 */
@Module({})
export class ResourceEndpointsModule {
  static register(
    definitions: readonly ResourceTypeDefinition[],
    implementations: readonly ResourceImplementation[],
    imports: NonNullable<DynamicModule['imports']>,
  ): DynamicModule {
    const bind = (services: ScimResourceService[]): ResourceServices =>
      new ResourceServices(implementations.map((impl, i) => ({ ...impl, service: services[i] as ScimResourceService })));
    return {
      module: ResourceEndpointsModule,
      global: true,
      imports,
      controllers: definitions.map(createResourceController),
      providers: [{ provide: ResourceServices, useFactory: (...services: ScimResourceService[]) => bind(services), inject: implementations.map((i) => i.service) }],
      exports: [ResourceServices],
    };
  }
}
