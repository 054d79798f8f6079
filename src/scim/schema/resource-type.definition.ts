/** The name of a registered resource type (RFC 7643 §6 `name`): `User`, `Group`, or any other definition's. */
export type ResourceTypeName = string;

export interface SchemaExtensionRef {
  readonly schema: string;
  readonly required: boolean;
}

/**
 * How a column's value compares: `folded` holds a case-folded key (the bound value is
 * folded the same way), `exact` compares as sent, `dateTime` is fixed-width UTC ISO text.
 */
export type ColumnValueKind = 'folded' | 'exact' | 'boolean' | 'dateTime';

/** An attribute with a column of its own in the resource's table. */
export interface StoredColumn {
  /** Canonical attribute path, as the registry resolves it (`userName`, `meta.created`). */
  readonly attribute: string;
  readonly column: string;
  readonly kind: ColumnValueKind;
  /** A unique index holds it (RFC 7643 §2.1 uniqueness "server"): a collision is 409 uniqueness. */
  readonly unique?: boolean;
  /** A lookup index leads with it, so equality and range filters probe instead of scanning. */
  readonly indexed?: boolean;
  /**
   * An identifier a client chooses (a unique one always is): its key refuses control
   * characters and must not be empty once prepared (PRECIS IdentifierClass, RFC 8264 §9.12).
   */
  readonly identifier?: boolean;
}

/**
 * An attribute that is not stored with the resource but computed when read:
 * `memberOf`, the groups the resource belongs to directly or through nested groups
 * (RFC 7643 §4.1.2 User `groups`); `members`, the rows of the membership table
 * (RFC 7643 §4.2 Group `members`).
 */
export interface ComputedAttribute {
  readonly attribute: string;
  readonly kind: 'memberOf' | 'members';
}

/** What a `members` attribute may hold, and how it is written. */
export interface MemberSemantics {
  readonly attribute: string;
  /** The resource types a member may be (its `type` sub-attribute, RFC 7643 §4.2). */
  readonly memberTypes: readonly ResourceTypeName[];
  /**
   * Stored as a set and written in batches, so a full replace of a large group is not
   * bounded by the per-attribute value count.
   */
  readonly setBased: boolean;
}

/**
 * Where a resource type's resources live, as data a repository consumes: the table and
 * its alias in SQL, the attributes with columns (the rest stays in the JSON `doc`
 * column), the attributes computed on read, and member semantics for group-like types.
 * Every resource table also has `id`, `doc`, `version`, `created` and `last_modified`.
 */
export interface ResourceStorage {
  readonly table: string;
  readonly alias: string;
  readonly columns: readonly StoredColumn[];
  readonly computed: readonly ComputedAttribute[];
  readonly members?: MemberSemantics;
}

/** RFC 7643 §6 ResourceType, minus the rendering concerns (meta, schemas), plus where it is stored. */
export interface ResourceTypeDefinition {
  readonly id: ResourceTypeName;
  readonly name: ResourceTypeName;
  /** The endpoint relative to the service root, with its leading slash (`/Users`). */
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  readonly schemaExtensions: readonly SchemaExtensionRef[];
  readonly storage: ResourceStorage;
}

/** The endpoint's path segment without its slash (`Users`), as routes and the URL rewriter name it. */
export function endpointSegment(definition: Pick<ResourceTypeDefinition, 'endpoint'>): string {
  return definition.endpoint.replace(/^\//, '');
}
