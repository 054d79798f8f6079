import type { AppConfig } from '../../config/app-config.js';
import type { DirectoryRef } from './scim-context.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import type { ResourceTypeName } from '../../scim/schema/resource-type.definition.js';
import type { ScimResourceService } from './scim-resource.controller.js';

/** What an endpoint needs beyond its definition: the service with the type's SCIM rules, and its PATCH status. */
export interface ResourceServiceBinding {
  readonly type: ResourceTypeName;
  readonly service: ScimResourceService;
  /** PATCH without `attributes`/`excludedAttributes` may answer 204 (RFC 7644 §3.5.2); 200 when absent. */
  readonly patchStatus?: (config: AppConfig, directory: DirectoryRef) => 200 | 204;
}

/** Every operation of a type no service implements: 501 (RFC 7644 §3.12). */
function unimplemented(type: ResourceTypeName): ScimResourceService {
  const fail = (): never => {
    throw ScimException.notImplemented(`Resource type ${type} is registered but has no storage on this server`);
  };
  return { projection: fail, list: fail, create: fail, get: fail, replace: fail, patch: fail, delete: fail };
}

/** The one lookup from a resource type's name to the service that implements it. */
export class ResourceServices {
  private readonly bindings: ReadonlyMap<ResourceTypeName, ResourceServiceBinding>;

  constructor(bindings: readonly ResourceServiceBinding[]) {
    this.bindings = new Map(bindings.map((b) => [b.type, b]));
  }

  /** Whether the type has a service (every registered type has: its own, or the generic one). */
  implements(type: ResourceTypeName): boolean {
    return this.bindings.has(type);
  }

  get(type: ResourceTypeName): ScimResourceService {
    return this.bindings.get(type)?.service ?? unimplemented(type);
  }

  /** The PATCH status of `type` in `directory` (its settings, else the server's). */
  patchStatus(type: ResourceTypeName, config: AppConfig, directory: DirectoryRef): 200 | 204 {
    return this.bindings.get(type)?.patchStatus?.(config, directory) ?? 200;
  }
}
