import { foldKey } from '../database/fold-key.js';
import { isPlainObject, weakEtag, type ScimObject } from '../scim/resource/scim-resource.js';
import type { MemberType } from './entities/group-member.entity.js';

export interface GroupRow {
  readonly id: string;
  readonly doc: string;
  readonly version: number;
  readonly created: string;
  readonly last_modified: string;
}

/** A member as read back, with `display` taken from the member itself. */
export interface MemberRow {
  readonly value: string;
  readonly type: MemberType;
  readonly display: string | null;
}

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

/** Splits the validated document: members go to group_members, the rest to `doc`. */
export function toGroupWrite(doc: ScimObject): { write: GroupWrite; members: MemberRef[] } {
  const { members, ...rest } = doc;
  const displayName = String(rest['displayName']);
  const refs = (Array.isArray(members) ? members : []).filter(isPlainObject).map(toMemberRef);
  return {
    write: {
      displayName,
      displayNameKey: foldKey(displayName),
      externalId: typeof rest['externalId'] === 'string' ? rest['externalId'] : null,
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

export function toScimMembers(members: readonly MemberRow[], baseUrl: string): ScimObject[] {
  return members.map((m) => ({
    value: m.value,
    $ref: `${baseUrl}/${m.type === 'Group' ? 'Groups' : 'Users'}/${m.value}`,
    type: m.type,
    ...(m.display !== null ? { display: m.display } : {}),
  }));
}

/** The full representation of a stored group; `members` is undefined when it was not read. */
export function toScimGroup(row: GroupRow, members: readonly MemberRow[] | undefined, baseUrl: string): ScimObject {
  const doc: unknown = JSON.parse(row.doc);
  const stored = isPlainObject(doc) ? doc : {};
  const resource: ScimObject = { schemas: stored['schemas'], id: row.id, ...stored };
  if (members && members.length > 0) resource['members'] = toScimMembers(members, baseUrl);
  resource['meta'] = {
    resourceType: 'Group',
    created: row.created,
    lastModified: row.last_modified,
    location: groupLocation(baseUrl, row.id),
    version: weakEtag(Number(row.version)),
  };
  return resource;
}
