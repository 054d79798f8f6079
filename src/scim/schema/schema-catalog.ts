import type { SchemaDefinition } from './attribute-definition.js';
import type { ResourceTypeDefinition } from './resource-type.definition.js';
import { DEFAULT_RESOURCE_TYPES, DEFAULT_SCHEMAS } from './resource-types.js';
import { SchemaRegistry } from './schema-registry.js';

/** The schemas and resource types a server is built with. */
export interface SchemaSource {
  readonly schemas: readonly SchemaDefinition[];
  readonly resourceTypes: readonly ResourceTypeDefinition[];
}

export const DEFAULT_SCHEMA_SOURCE: SchemaSource = { schemas: DEFAULT_SCHEMAS, resourceTypes: DEFAULT_RESOURCE_TYPES };

/** The default source with more schemas and resource types (a deployment's or a test's). */
export function extendSchemaSource(
  extra: Partial<SchemaSource>,
  base: SchemaSource = DEFAULT_SCHEMA_SOURCE,
): SchemaSource {
  return {
    schemas: [...base.schemas, ...(extra.schemas ?? [])],
    resourceTypes: [...base.resourceTypes, ...(extra.resourceTypes ?? [])],
  };
}

/**
 * The effective schema of each directory, compiled once and cached. Every request
 * resolves its registry here (`forDirectory(ctx.directory)`) rather than holding one
 * process-wide, so a directory's own schema extensions cannot leak into another's.
 * Today every directory has the server's schemas; the resource types (and so the
 * routes) are the server's, the same for every directory.
 */
export class SchemaCatalog {
  private readonly compiled = new Map<number, SchemaRegistry>();
  private readonly base: SchemaRegistry;

  constructor(private readonly source: SchemaSource = DEFAULT_SCHEMA_SOURCE) {
    // Compiled eagerly, so a definition naming an unknown schema fails at start-up.
    this.base = new SchemaRegistry(source.schemas, source.resourceTypes);
  }

  forDirectory(directory: { readonly id: number }): SchemaRegistry {
    let registry = this.compiled.get(directory.id);
    if (!registry) {
      registry = new SchemaRegistry(this.source.schemas, this.source.resourceTypes);
      this.compiled.set(directory.id, registry);
    }
    return registry;
  }

  /** The resource types the server routes, whatever the directory. */
  resourceTypes(): readonly ResourceTypeDefinition[] {
    return this.base.listResourceTypes();
  }
}
