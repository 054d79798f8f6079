import type { ScimObject } from '../scim/resource/scim-resource.js';
import type { MemberRow, MemberType } from '../membership/membership.types.js';

export type { MemberRow };

/** A member as a client asked for it. */
export interface MemberRef {
  readonly value: string;
  readonly type?: MemberType;
}

/** A member object of a request as a reference: its value and, when stated, its type (RFC 7643 §4.2). */
export function toMemberRef(member: ScimObject): MemberRef {
  const type = typeof member['type'] === 'string' ? member['type'].toLowerCase() : undefined;
  return {
    value: typeof member['value'] === 'string' ? member['value'] : '',
    ...(type === 'user' ? { type: 'User' as const } : type === 'group' ? { type: 'Group' as const } : {}),
  };
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
