import { identifierKey } from '../scim/resource/fold-key.js';
import { checkKeyBytes, type InputLimits } from '../scim/resource/input-limits.js';
import { isPlainObject, toScimResource, type ScimObject, type StoredRow } from '../scim/resource/scim-resource.js';
import type { MemberRow, MemberType } from '../membership/membership.types.js';

export type GroupRow = StoredRow;

export type { MemberRow };

/** A member as a client asked for it. */
export interface MemberRef {
  readonly value: string;
  readonly type?: MemberType;
}

export interface GroupWrite {
  readonly displayName: string;
  readonly displayNameKey: string;
  readonly externalId: string | null;
  readonly doc: string;
}

/** Splits the validated document: members go to group_members, the rest to `doc`; indexed keys are bounded; `stored` is the document it replaces. */
export function toGroupWrite(doc: ScimObject, limits: Pick<InputLimits, 'keyBytes'>, stored?: ScimObject): { write: GroupWrite; members: MemberRef[] } {
  const { members, ...rest } = doc;
  const displayName = String(rest['displayName']);
  const refs = (Array.isArray(members) ? members : []).filter(isPlainObject).map(toMemberRef);
  return {
    write: {
      displayName,
      displayNameKey: checkKeyBytes('displayName', identifierKey('displayName', displayName, stored?.['displayName']), limits),
      externalId: typeof rest['externalId'] === 'string' ? checkKeyBytes('externalId', rest['externalId'], limits) : null,
      doc: JSON.stringify(rest),
    },
    members: refs,
  };
}

function toMemberRef(member: ScimObject): MemberRef {
  const type = typeof member['type'] === 'string' ? member['type'].toLowerCase() : undefined;
  return {
    value: String(member['value'] ?? ''),
    ...(type === 'user' ? { type: 'User' as const } : type === 'group' ? { type: 'Group' as const } : {}),
  };
}

export function groupLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Groups/${id}`;
}

/**
 * The rows become the SCIM member objects in place, so a group of 100,000 members
 * is held once, not once as rows and again as resources.
 */
export function toScimMembers(members: MemberRow[], baseUrl: string): ScimObject[] {
  const users = `${baseUrl}/Users/`;
  const groups = `${baseUrl}/Groups/`;
  for (const row of members as unknown as ScimObject[]) {
    const value = row['value'] as string;
    const type = row['type'];
    const display = row['display'];
    delete row['display'];
    delete row['type'];
    row['$ref'] = `${type === 'Group' ? groups : users}${value}`;
    row['type'] = type;
    if (display !== null) row['display'] = display;
  }
  return members as unknown as ScimObject[];
}

/** The full representation of a stored group; `members` is undefined when it was not read. */
export function toScimGroup(row: GroupRow, members: MemberRow[] | undefined, baseUrl: string): ScimObject {
  const computed = members && members.length > 0 ? { members: toScimMembers(members, baseUrl) } : {};
  return toScimResource(row, 'Group', groupLocation(baseUrl, row.id), computed);
}
