import { foldKey, identifierKey } from '../scim/resource/fold-key.js';
import { checkKeyBytes, type InputLimits } from '../scim/resource/input-limits.js';
import type { AttributeDefinition } from '../scim/schema/attribute-definition.js';
import { toScimResource, type ScimObject, type StoredRow } from '../scim/resource/scim-resource.js';
import { toMultiValueRows, type MultiValueRow } from './multi-values.js';
import type { UserGroupRow } from '../membership/membership.types.js';

/** A users row as the read queries return it. */
export type UserRow = StoredRow;

/** A group the user belongs to, directly (depth 0) or through nested groups. */
export type { UserGroupRow };

/** The columns derived from a validated User document, written with it in one statement. */
export interface UserWrite {
  readonly userName: string;
  readonly userNameKey: string;
  readonly externalId: string | null;
  readonly displayName: string | null;
  readonly displayNameKey: string | null;
  readonly active: boolean | null;
  readonly doc: string;
  readonly multiValues: readonly MultiValueRow[];
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Derives the indexed columns from the document, so the two cannot drift apart;
 * every indexed key is bounded (MAX_KEY_BYTES); `stored` is the document it replaces.
 */
export function toUserWrite(doc: ScimObject, indexed: readonly AttributeDefinition[], limits: Pick<InputLimits, 'keyBytes'>, stored?: ScimObject): UserWrite {
  const userName = String(doc['userName']);
  const displayName = stringOrNull(doc['displayName']);
  const externalId = stringOrNull(doc['externalId']);
  return {
    userName,
    userNameKey: checkKeyBytes('userName', identifierKey('userName', userName, stored?.['userName']), limits),
    externalId: externalId === null ? null : checkKeyBytes('externalId', externalId, limits),
    displayName,
    displayNameKey: displayName === null ? null : checkKeyBytes('displayName', foldKey(displayName), limits),
    active: typeof doc['active'] === 'boolean' ? doc['active'] : null,
    doc: JSON.stringify(doc),
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

export function userLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Users/${id}`;
}

/** The full SCIM representation of a stored user (before projection). */
export function toScimUser(row: UserRow, groups: readonly UserGroupRow[], baseUrl: string): ScimObject {
  const computed = groups.length > 0 ? { groups: toGroupsAttribute(groups, baseUrl) } : {};
  return toScimResource(row, 'User', userLocation(baseUrl, row.id), computed);
}
