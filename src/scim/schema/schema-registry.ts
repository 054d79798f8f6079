import type { AttributeDefinition, SchemaDefinition } from './attribute-definition.js';
import { COMMON_ATTRIBUTES } from './common.attributes.js';
import type { ResourceTypeDefinition, ResourceTypeName } from './resource-type.definition.js';
import { DEFAULT_RESOURCE_TYPES, DEFAULT_SCHEMAS } from './resource-types.js';

export type {
  ColumnValueKind,
  ComputedAttribute,
  MemberSemantics,
  ResourceStorage,
  ResourceTypeDefinition,
  ResourceTypeName,
  SchemaExtensionRef,
  StoredColumn,
} from './resource-type.definition.js';
export { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from './resource-types.js';

/** An attribute path as written by a client: `[URI ":"] ATTRNAME [ "." subAttr ]` (RFC 7644 §3.10). */
export interface AttrPath {
  readonly schemaUri?: string;
  readonly name: string;
  readonly subAttr?: string;
}

/** The definition an AttrPath designates, with the schema it belongs to and its canonical spelling. */
export interface ResolvedAttribute {
  /** The URN of the schema that defines the attribute; '' for the common attributes (RFC 7643 §3.1). */
  readonly schemaUri: string;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
  /** Canonical path: `emails.value`, or `urn:…:enterprise:2.0:User:manager.value` for extensions. */
  readonly path: string;
}

function byLowerName(attributes: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  return new Map(attributes.map((a) => [a.name.toLowerCase(), a]));
}

/**
 * The schemas and resource types this server implements. Attribute names are
 * case-insensitive (RFC 7643 §2.1), so every lookup goes through lower-cased maps,
 * while the definitions keep the canonical spelling used in responses.
 */
export class SchemaRegistry {
  private readonly schemas = new Map<string, SchemaDefinition>();
  private readonly attributesBySchema = new Map<string, Map<string, AttributeDefinition>>();
  private readonly commonAttributes = byLowerName(COMMON_ATTRIBUTES);
  private readonly resourceTypes = new Map<string, ResourceTypeDefinition>();

  constructor(
    schemas: readonly SchemaDefinition[] = DEFAULT_SCHEMAS,
    resourceTypes: readonly ResourceTypeDefinition[] = DEFAULT_RESOURCE_TYPES,
  ) {
    for (const schema of schemas) {
      this.schemas.set(schema.id.toLowerCase(), schema);
      this.attributesBySchema.set(schema.id.toLowerCase(), byLowerName(schema.attributes));
    }
    for (const type of resourceTypes) this.register(type);
  }

  /** A type names only registered schemas, and its name and endpoint are its own (RFC 7643 §6). */
  private register(type: ResourceTypeDefinition): void {
    for (const uri of [type.schema, ...type.schemaExtensions.map((e) => e.schema)]) {
      if (!this.schemas.has(uri.toLowerCase()))
        throw new Error(`resource type ${type.name} names unregistered schema ${uri}`);
    }
    const endpoint = type.endpoint.toLowerCase();
    const clash = [...this.resourceTypes.values()].find(
      (t) => t.name === type.name || t.endpoint.toLowerCase() === endpoint,
    );
    if (clash)
      throw new Error(`resource type ${type.name} (${type.endpoint}) clashes with ${clash.name} (${clash.endpoint})`);
    this.resourceTypes.set(type.name, type);
  }

  /** RFC 7643 §3.1 attributes shared by every resource type (id, externalId, meta). */
  commonAttributeDefinitions(): readonly AttributeDefinition[] {
    return COMMON_ATTRIBUTES;
  }

  isCommonAttribute(name: string): boolean {
    return this.commonAttributes.has(name.toLowerCase());
  }

  listSchemas(): SchemaDefinition[] {
    return [...this.schemas.values()];
  }

  getSchema(urn: string): SchemaDefinition | undefined {
    return this.schemas.get(urn.toLowerCase());
  }

  listResourceTypes(): ResourceTypeDefinition[] {
    return [...this.resourceTypes.values()];
  }

  getResourceType(name: ResourceTypeName): ResourceTypeDefinition {
    const type = this.resourceTypes.get(name);
    if (!type) throw new Error(`resource type ${name} is not registered`);
    return type;
  }

  /** Every schema URN a resource of this type may carry: the base schema first, then its extensions. */
  schemaUrisOf(type: ResourceTypeName): string[] {
    const def = this.getResourceType(type);
    return [def.schema, ...def.schemaExtensions.map((e) => e.schema)];
  }

  /** The schema URN among a type's schemas that equals `uri` case-insensitively, in canonical spelling. */
  findSchemaUri(type: ResourceTypeName, uri: string): string | undefined {
    const lower = uri.toLowerCase();
    return this.schemaUrisOf(type).find((u) => u.toLowerCase() === lower);
  }

  /**
   * Splits a fully qualified attribute reference (`urn:…:User:name.givenName`) into schema URN and the
   * rest by longest registered-URN prefix, since URNs themselves contain ':' and '.' (RFC 7644 §3.10).
   */
  splitUrn(type: ResourceTypeName, text: string): { schemaUri: string; rest: string } | undefined {
    const lower = text.toLowerCase();
    const candidates = this.schemaUrisOf(type).sort((a, b) => b.length - a.length);
    for (const uri of candidates) {
      const u = uri.toLowerCase();
      if (lower === u) return { schemaUri: uri, rest: '' };
      if (lower.startsWith(u) && (lower[u.length] === ':' || lower[u.length] === '.')) {
        return { schemaUri: uri, rest: text.slice(u.length + 1) };
      }
    }
    return undefined;
  }

  /**
   * Resolves an attribute written as text (`name.givenName`, `urn:…:User:manager.value`),
   * as in `attributes`, `excludedAttributes` and `sortBy` (RFC 7644 §3.10).
   */
  resolveText(type: ResourceTypeName, text: string): ResolvedAttribute | undefined {
    const split = text.includes(':') ? this.splitUrn(type, text) : undefined;
    if (text.includes(':') && (!split || split.rest === '')) return undefined;
    const [name = '', subAttr, extra] = (split ? split.rest : text).split('.');
    if (extra !== undefined) return undefined;
    return this.resolve(type, {
      ...(split ? { schemaUri: split.schemaUri } : {}),
      name,
      ...(subAttr !== undefined ? { subAttr } : {}),
    });
  }

  /** Resolves a path for a resource type, or undefined when the type has no such attribute. */
  resolve(type: ResourceTypeName, path: AttrPath): ResolvedAttribute | undefined {
    const found = this.findTopLevel(type, path);
    if (!found) return undefined;
    const { schemaUri, attribute } = found;
    const prefix = schemaUri && schemaUri !== this.getResourceType(type).schema ? `${schemaUri}:` : '';
    if (path.subAttr === undefined) {
      return { schemaUri, attribute, path: `${prefix}${attribute.name}` };
    }
    const sub = attribute.subAttributes?.find((s) => s.name.toLowerCase() === path.subAttr?.toLowerCase());
    if (!sub) return undefined;
    return { schemaUri, attribute, subAttribute: sub, path: `${prefix}${attribute.name}.${sub.name}` };
  }

  /**
   * The extensions of a type that define a top-level attribute `name` (case-insensitive), as
   * resolved attributes; for the lenient reading of an unqualified extension attribute
   * (Entra's bare `manager`), which is unambiguous only when exactly one is found.
   */
  extensionsDefining(type: ResourceTypeName, name: string): ResolvedAttribute[] {
    const lower = name.toLowerCase();
    const found: ResolvedAttribute[] = [];
    for (const { schema } of this.getResourceType(type).schemaExtensions) {
      const attribute = this.attributesBySchema.get(schema.toLowerCase())?.get(lower);
      if (attribute) found.push({ schemaUri: schema, attribute, path: `${schema}:${attribute.name}` });
    }
    return found;
  }

  private findTopLevel(
    type: ResourceTypeName,
    path: AttrPath,
  ): { schemaUri: string; attribute: AttributeDefinition } | undefined {
    const name = path.name.toLowerCase();
    if (path.schemaUri !== undefined) {
      const uri = this.findSchemaUri(type, path.schemaUri);
      if (!uri) return undefined;
      const attribute = this.attributesBySchema.get(uri.toLowerCase())?.get(name);
      // The common attributes may also be qualified with the base schema URN.
      if (!attribute && uri === this.getResourceType(type).schema) {
        const common = this.commonAttributes.get(name);
        return common ? { schemaUri: '', attribute: common } : undefined;
      }
      return attribute ? { schemaUri: uri, attribute } : undefined;
    }
    const common = this.commonAttributes.get(name);
    if (common) return { schemaUri: '', attribute: common };
    const base = this.getResourceType(type).schema;
    const attribute = this.attributesBySchema.get(base.toLowerCase())?.get(name);
    return attribute ? { schemaUri: base, attribute } : undefined;
  }
}
