import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ResourceServiceFactory } from '../../resources/resource-service.factory.js';
import type { ResourceTypeDefinition } from '../../scim/schema/resource-type.definition.js';
import { MeController } from './me.controller.js';
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
 * A type with an implementation uses its service (`imports` are the modules that provide
 * them); any other registered type gets the generic service built from its definition.
 */
@Module({})
export class ResourceEndpointsModule {
  static register(
    definitions: readonly ResourceTypeDefinition[],
    implementations: readonly ResourceImplementation[],
    imports: NonNullable<DynamicModule['imports']>,
  ): DynamicModule {
    const implemented = new Set(implementations.map((impl) => impl.type));
    const generic = definitions.filter((d) => !implemented.has(d.name));
    const bind = (factory: ResourceServiceFactory, services: ScimResourceService[]): ResourceServices =>
      new ResourceServices([
        ...implementations.map((impl, i) => ({ ...impl, service: services[i] })),
        ...generic.map((definition) => ({ type: definition.name, service: factory.service(definition) })),
      ]);
    return {
      module: ResourceEndpointsModule,
      global: true,
      imports,
      // RFC 7644 §3.11: /Me runs the Users handlers on the token's bound user.
      controllers: [...definitions.map(createResourceController), MeController],
      providers: [
        ResourceServiceFactory,
        {
          provide: ResourceServices,
          useFactory: (factory: ResourceServiceFactory, ...services: ScimResourceService[]) => bind(factory, services),
          inject: [ResourceServiceFactory, ...implementations.map((i) => i.service)],
        },
      ],
      exports: [ResourceServices],
    };
  }
}
