import type { InputLimits } from '../scim/resource/input-limits.js';
import type { AttributeDefinition } from '../scim/schema/attribute-definition.js';
import type { ScimObject, StoredRow } from '../scim/resource/scim-resource.js';
import { toMultiValueRows, type MultiValueRow } from './multi-values.js';
import type { UserGroupRow } from '../membership/membership.types.js';
import { toResourceWrite, type ResourceWrite } from '../resources/resource-write.mapper.js';
import { USER_RESOURCE_TYPE } from '../scim/schema/resource-types.js';

/** A users row as the read queries return it. */
export type UserRow = StoredRow;

/** A group the user belongs to, directly (depth 0) or through nested groups. */
export type { UserGroupRow };

/** The columns derived from a validated User document (per USER_RESOURCE_TYPE's storage), written with it in one statement. */
export interface UserWrite extends ResourceWrite {
  readonly userName: string;
  readonly displayName: string | null;
  readonly multiValues: readonly MultiValueRow[];
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Derives the indexed columns from the document, so the two cannot drift apart;
 * every indexed key is bounded (MAX_KEY_BYTES); `stored` is the document it replaces.
 */
export function toUserWrite(
  doc: ScimObject,
  indexed: readonly AttributeDefinition[],
  limits: Pick<InputLimits, 'keyBytes'>,
  stored?: ScimObject,
): UserWrite {
  return {
    ...toResourceWrite(USER_RESOURCE_TYPE.storage, doc, limits, stored),
    userName: String(doc['userName']),
    displayName: stringOrNull(doc['displayName']),
    multiValues: toMultiValueRows(doc, indexed, limits),
  };
}

/** What a group's `members[].display` shows for a user (RFC 7643 §4.2): displayName, else userName. */
export function memberDisplay(doc: ScimObject): string {
  return stringOrNull(doc['displayName']) ?? String(doc['userName']);
}

/** RFC 7643 §4.1.2: `groups` is computed from memberships; nested ones are "indirect". */
export function toGroupsAttribute(groups: readonly UserGroupRow[], baseUrl: string): ScimObject[] {
  return groups.map((g) => ({
    value: g.id,
    $ref: `${baseUrl}/Groups/${g.id}`,
    display: g.display,
    type: Number(g.depth) === 0 ? 'direct' : 'indirect',
  }));
}
