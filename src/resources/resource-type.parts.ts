import type { ResourceScope } from '../database/scope/resource-scope.js';
import type { SqlParam } from '../database/sql-reader.js';
import type { TargetResolver } from '../database/sql/doc-targets.js';
import type { MemberChange, UnitOfWork } from '../database/unit-of-work.js';
import type { EffectiveSettings } from '../directories/effective-settings.js';
import type { PatchResult } from '../scim/patch/patch.types.js';
import type { Projection } from '../scim/resource/project-attributes.js';
import type { ScimObject } from '../scim/resource/scim-resource.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import type { ResourceRow } from './resource.repository.js';

/** How a type's repository differs from the one its definition derives. */
export interface RepositoryParts {
  /** Columns of the type's table its storage descriptor does not derive (Group `display_name`), written first. */
  readonly extraColumns?: readonly string[];
  /**
   * The filter targets, given the derived ones (Group `members` lives in the membership
   * table); per compiled registry, since they may follow the schema (User multi_values),
   * and per directory, since the tables they read are qualified by its scope.
   */
  targets?(derived: TargetResolver, registry: SchemaRegistry, scope: ResourceScope): TargetResolver;
  /** Columns findForUpdate reads besides the resource's (User `password_hash`, kept when a write sets none). */
  readonly lockedColumns?: readonly string[];
  /** Columns besides id, created and last_modified that are never NULL: a plain keyset sorts by them. */
  readonly notNullColumns?: readonly string[];
}

/** A computed attribute (RFC 7643 §4.1.2 `groups`, §4.2 `members`), read only when the projection returns it. */
export interface ComputedParts {
  wanted(registry: SchemaRegistry, projection: Projection): boolean;
  /** The computed attributes of one resource (GET, and the answer to a write). */
  readOne(scope: ResourceScope, row: ResourceRow, baseUrl: string): Promise<ScimObject>;
  /** The computed attributes of a page of resources, read in one go. */
  readMany(
    scope: ResourceScope,
    rows: readonly ResourceRow[],
    baseUrl: string,
  ): Promise<(row: ResourceRow) => ScimObject>;
}

/**
 * A writeOnly attribute (RFC 7643 §7) the row keeps as a derived secret (User `password`,
 * stored as its argon2id hash). The secret is prepared before the write's transaction,
 * never inside one: a slow hash would hold the row's lock while it runs.
 */
export interface SecretParts {
  /** The writeOnly attribute, as the validator keeps it apart from the document. */
  readonly attribute: string;
  /** Its column: one of extraColumns and lockedColumns, kept from the stored row when a write sets none. */
  readonly column: string;
  prepare(value: string): Promise<string>;
}

/** A row change as an afterUpdate hook sees it. */
export interface RowChange {
  readonly before: ScimObject;
  readonly after: ScimObject;
  readonly now: string;
  /** True when lockRelated ran before the row was locked; else related rows may only be taken without waiting. */
  readonly relatedLocked: boolean;
}

/**
 * What one resource type adds to the shared SCIM rules, as hooks the generic service
 * calls. `Extra` is what the type keeps apart from the stored document (Group members).
 * Every hook taking a unit of work runs inside its transaction.
 */
export interface ResourceTypeParts<Extra = unknown> {
  readonly repository?: RepositoryParts;
  /** The values of the repository's extraColumns, from the stored document and the directory's settings. */
  extraValues?(doc: ScimObject, settings: EffectiveSettings): SqlParam[];
  /** Splits a validated document into what the row stores and what the type writes itself. */
  split?(doc: ScimObject, registry: SchemaRegistry): { readonly doc: ScimObject; readonly extra: Extra };
  readonly secret?: SecretParts;
  /**
   * Locks the rows a write of this resource may bump, before its own row (the lock order of
   * membership.sql.ts, User: its groups). A delete always takes them first; a change first
   * tries without (relatedLocked false) and runs again with them when one is held (55P03).
   */
  lockRelated?(uow: UnitOfWork, id: string): Promise<void>;
  /** After the row is inserted. */
  afterInsert?(uow: UnitOfWork, id: string, extra: Extra): Promise<void>;
  /** During a PUT, before the row is rewritten; true when it changed something the document does not show. */
  replaceExtra?(uow: UnitOfWork, id: string, extra: Extra): Promise<boolean>;
  /** During a PATCH, likewise, for what applyPatch left apart from the document (member deltas). */
  patchExtra?(uow: UnitOfWork, id: string, result: PatchResult): Promise<boolean>;
  /** Before a changed row is rewritten (Group: a rename bumps the versions that show its name). */
  beforeUpdate?(uow: UnitOfWork, id: string, before: ScimObject, after: ScimObject, now: string): Promise<void>;
  /** After a changed row is rewritten (User: its multi_values rows, the display its groups show). */
  afterUpdate?(uow: UnitOfWork, id: string, extra: Extra, change: RowChange): Promise<void>;
  /** The members this unit of work added to and removed from resource `id` so far, for its record; taken once. */
  memberChange?(uow: UnitOfWork, id: string): MemberChange | undefined;
  /**
   * After the row is locked for delete and before it goes (Group: bumps, and it leaves every
   * group). `soft`: the row is kept, hidden (deletionPolicy "soft"), so what a restore needs
   * back without its memberships (User multi_values) stays; the purge removes it later.
   */
  beforeDelete?(uow: UnitOfWork, id: string, now: string, soft: boolean): Promise<void>;
  readonly computed?: ComputedParts;
}
