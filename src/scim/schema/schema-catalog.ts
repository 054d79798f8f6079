import type { SchemaDefinition } from './attribute-definition.js';
import type { ExtensionDefinition } from './extension-definition.js';
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

/** A directory's registered extensions and the schema version they are as of. */
export interface DirectoryExtensions {
  readonly version: number;
  readonly extensions: readonly ExtensionDefinition[];
}

/** Where the catalog reads each directory's extensions (the database, behind a repository). */
export interface ExtensionSource {
  /** The directory's schema version: it moves with every change of its extensions. */
  version(directoryId: number): Promise<number>;
  load(directoryId: number): Promise<DirectoryExtensions>;
}

interface Compiled {
  readonly registry: SchemaRegistry;
  readonly version: number;
  checkedAt: number;
}

/**
 * SCHEMA_REFRESH_MS default: how stale another instance's view of a directory's extensions
 * may be. A change made through this instance is seen here at once (invalidate).
 */
export const DEFAULT_SCHEMA_REFRESH_MS = 1000;

/**
 * The effective schema of each directory, compiled once and cached. Every request
 * resolves its registry here rather than holding one process-wide, so a directory's own
 * schema extensions (RFC 7643 §3.3) cannot leak into another's. The resource types (and so
 * the routes) are the server's; a directory's registry adds its extension schemas and
 * names them in its resource types' `schemaExtensions` (§6).
 *
 * Entry points `await current(directory)`, which reloads a directory whose schema version
 * moved, checking the version at most every `refreshMs` (the bound within which a change
 * on another instance is seen); `forDirectory` then returns that registry synchronously.
 */
export class SchemaCatalog {
  private readonly compiled = new Map<number, Compiled>();
  /** Bumped by invalidate, so a reload that began before a change never stores what it read. */
  private readonly generations = new Map<number, number>();
  private readonly pending = new Map<number, Promise<SchemaRegistry>>();
  private readonly base: SchemaRegistry;
  private extensions: ExtensionSource | undefined;
  private refreshMs = DEFAULT_SCHEMA_REFRESH_MS;

  constructor(private readonly source: SchemaSource = DEFAULT_SCHEMA_SOURCE) {
    // Compiled eagerly, so a definition naming an unknown schema fails at start-up.
    this.base = new SchemaRegistry(source.schemas, source.resourceTypes);
  }

  /** Reads directories' extensions from `extensions` from now on. */
  useExtensions(extensions: ExtensionSource, refreshMs = DEFAULT_SCHEMA_REFRESH_MS): void {
    this.extensions = extensions;
    this.refreshMs = refreshMs;
    this.compiled.clear();
  }

  /** The directory's registry as last loaded (the server's schemas when never loaded). */
  forDirectory(directory: { readonly id: number }): SchemaRegistry {
    let entry = this.compiled.get(directory.id);
    if (!entry) {
      // Not loaded yet: the server's schemas, checked (version -1 never matches) by the next current().
      entry = { registry: this.compile([]), version: -1, checkedAt: 0 };
      this.compiled.set(directory.id, entry);
    }
    return entry.registry;
  }

  /** The directory's registry, reloaded first when its schema version moved (checked at most every refreshMs). */
  current(directory: { readonly id: number }): Promise<SchemaRegistry> | SchemaRegistry {
    const entry = this.compiled.get(directory.id);
    if (!this.extensions || (entry && Date.now() - entry.checkedAt < this.refreshMs)) {
      return this.forDirectory(directory);
    }
    let pending = this.pending.get(directory.id);
    if (!pending) {
      pending = this.refresh(directory.id, this.extensions).finally(() => this.pending.delete(directory.id));
      this.pending.set(directory.id, pending);
    }
    return pending;
  }

  /** Drops the directory's registry at once (after this instance changed its extensions). */
  invalidate(directoryId: number): void {
    this.generations.set(directoryId, (this.generations.get(directoryId) ?? 0) + 1);
    this.compiled.delete(directoryId);
  }

  /** The URNs of the server's own schemas, which no extension may take. */
  serverSchemaIds(): string[] {
    return this.base.listSchemas().map((s) => s.id);
  }

  /** The resource types the server routes, whatever the directory. */
  resourceTypes(): readonly ResourceTypeDefinition[] {
    return this.base.listResourceTypes();
  }

  private async refresh(id: number, extensions: ExtensionSource): Promise<SchemaRegistry> {
    const generation = this.generations.get(id) ?? 0;
    const checkedAt = Date.now();
    const entry = this.compiled.get(id);
    const version = await extensions.version(id);
    if (entry && entry.version === version) {
      entry.checkedAt = checkedAt;
      return entry.registry;
    }
    const loaded = await extensions.load(id);
    const next: Compiled = { registry: this.compile(loaded.extensions), version: loaded.version, checkedAt };
    if ((this.generations.get(id) ?? 0) === generation) this.compiled.set(id, next);
    return next.registry;
  }

  /** The server's schemas with the extensions added, each named in its resource type's schemaExtensions. */
  private compile(extensions: readonly ExtensionDefinition[]): SchemaRegistry {
    const types = this.source.resourceTypes.map((type) => {
      const own = extensions.filter((e) => e.resourceType === type.name);
      if (own.length === 0) return type;
      const refs = own.map((e) => ({ schema: e.schema.id, required: e.required }));
      return { ...type, schemaExtensions: [...type.schemaExtensions, ...refs] };
    });
    return new SchemaRegistry([...this.source.schemas, ...extensions.map((e) => e.schema)], types);
  }
}
