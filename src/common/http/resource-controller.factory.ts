import { Controller, Inject, type Type } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { endpointSegment, type ResourceTypeDefinition } from '../../scim/schema/resource-type.definition.js';
import { ResourceServices } from './resource-services.js';
import { ScimResourceController } from './scim-resource.controller.js';
import { ScimUrlService } from './scim-url.service.js';

/**
 * The controller of one resource type's endpoint (RFC 7644 §3.2), made from its
 * definition: every type gets the same routes, status codes and headers, and its
 * service from ResourceServices, so a new type needs no hand-written controller.
 */
export function createResourceController(definition: ResourceTypeDefinition): Type<ScimResourceController> {
  @Controller(endpointSegment(definition))
  class ResourceController extends ScimResourceController {
    constructor(
      @Inject(ResourceServices) services: ResourceServices,
      @Inject(ScimUrlService) urls: ScimUrlService,
      @Inject(APP_CONFIG) config: AppConfig,
    ) {
      super(services.get(definition.name), urls, (ctx) => services.patchStatus(definition.name, config, ctx.directory));
    }
  }
  // Nest names controllers in its logs and errors by class name.
  Object.defineProperty(ResourceController, 'name', { value: `${definition.name}ResourceController` });
  return ResourceController;
}
