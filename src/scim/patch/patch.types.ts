import type { ValidatedFilter } from '../filter/validate-filter.js';
import type { InputLimits } from '../resource/input-limits.js';
import type { ScimObject } from '../resource/scim-resource.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';

/** RFC 7644 §3.5.2: the three operations; JSON Patch's move/copy/test do not exist in SCIM. */
export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOptions {
  /**
   * Accept the forms beyond RFC 7644 §3.5.2 that Entra and Okta are known to send: string booleans and
   * numbers, dotted and URN-qualified keys in a pathless value, valuePath writes that create the
   * element, scalar `manager`, `remove members` with a value, a lone object for an array, a
   * one-element array for a single-valued complex attribute, add of null as replace for a
   * single-valued one, an unqualified name of the one extension defining it (bare `manager`), and
   * an extension value's own `schemas` key.
   */
  readonly lenient: boolean;
  /**
   * Operations per request, checked before any is parsed; values per multi-valued attribute,
   * checked after each write and as a bound on the values one request compares (see PatchContext).
   */
  readonly limits: Pick<InputLimits, 'patchOperations' | 'valuesPerAttribute'>;
}

/** What a group member is (RFC 7643 §4.2 `members.type`): the one declaration of it. */
export type MemberType = 'User' | 'Group';

/** A Group member as a client asked for it; the service resolves it and derives $ref and display. */
export interface MemberInput {
  readonly value: string;
  readonly type?: MemberType;
}

/**
 * The net effect of a request's operations on a Group's `members`, for the repository to apply
 * without materialising the member list, so a one-member change to a large group stays small.
 * Apply in this order:
 * 1. `removeAll` → delete every member; or `replaceAll` → make the set exactly these members
 *    (`replaceAll` never comes with `removeAll`, `removeIds`, `removeWhere` or `add`);
 * 2. delete the members whose id is in `removeIds`;
 * 3. delete the members for which any `removeWhere` filter holds (element scope: its attributes
 *    are `members.value`, `members.type`, `members.display`, `members.$ref`);
 * 4. insert `add`, skipping members already present (RFC 7644 §3.5.2.1: no change, no error).
 * `add` and `removeIds` are disjoint.
 */
export interface MemberDelta {
  readonly replaceAll?: MemberInput[];
  readonly add: MemberInput[];
  readonly removeIds: string[];
  readonly removeAll: boolean;
  readonly removeWhere: ValidatedFilter[];
}

export interface PatchResult {
  /** The patched document, to be re-validated (validateResource) before it is stored. */
  readonly resource: ScimObject;
  /** False when `resource` equals the input, so version and meta.lastModified stay (§3.5.2.1). */
  readonly changed: boolean;
  /** Present for Groups when any operation targeted `members`; `changed` does not cover it. */
  readonly members?: MemberDelta;
}

/** The attribute a path designates, in canonical spelling. */
export interface PatchTarget {
  /** The URN of the defining schema; '' for the common attributes (RFC 7643 §3.1). */
  readonly schemaUri: string;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
  /** Canonical path for error details: `emails.value`, `urn:…:enterprise:2.0:User:manager.value`. */
  readonly path: string;
}

/**
 * A parsed RFC 7644 §3.5.2 PATH (`attrPath / valuePath [ "." subAttr ]`), or a whole schema
 * (`urn:…:enterprise:2.0:User`) whose value is an object of that schema's attributes.
 */
export type PatchPath =
  | { readonly kind: 'schema'; readonly text: string; readonly schemaUri: string }
  | { readonly kind: 'attribute'; readonly text: string; readonly target: PatchTarget }
  | {
      readonly kind: 'valuePath';
      readonly text: string;
      readonly target: PatchTarget;
      /** The bracket filter, validated in element scope (its attributes are sub-attributes). */
      readonly filter: ValidatedFilter;
    };
