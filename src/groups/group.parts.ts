import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { MembershipRepository } from '../membership/membership.repository.js';
import { foldKey } from '../scim/resource/fold-key.js';
import { projectionReturns } from '../scim/resource/project-attributes.js';
import { isPlainObject, type ScimObject } from '../scim/resource/scim-resource.js';
import type { ResourceTypeParts } from '../resources/resource-type.parts.js';
import type { GroupMembershipService } from './group-membership.service.js';
import { toMemberRef, toScimMembers, type MemberRef, type MemberRow } from './group.mapper.js';
import { groupTargets } from './groups.targets.js';

/** RFC 7643 §4.2: `members` are rows of the membership table; none is no attribute. */
function membersAttribute(rows: MemberRow[] | undefined, baseUrl: string): ScimObject {
  return rows && rows.length > 0 ? { members: toScimMembers(rows, baseUrl) } : {};
}

/**
 * What Groups add to the shared rules (RFC 7643 §4.2): members live in the membership
 * table, written as set-based SQL (a PATCH of a huge group never loads its members); a
 * rename or delete gives the groups it is nested in and the users below it new versions.
 */
export function groupParts(
  dialect: SqlDialect,
  membership: MembershipRepository,
  members: GroupMembershipService,
): ResourceTypeParts<MemberRef[]> {
  /** A rename changes `members[].display` of the groups above and `groups[].display` of the users below (groups first). */
  const bumpForRename = async (uow: UnitOfWork, id: string, now: string): Promise<void> => {
    await membership.bumpGroupsOf(uow, id, now);
    await membership.bumpUsersBelow(uow, id, now);
  };
  return {
    repository: {
      // display_name_unique_key: the displayName's key while the directory's names are unique (else NULL).
      extraColumns: ['display_name', 'display_name_unique_key'],
      targets: (_derived, _registry, scope) => groupTargets(dialect, membership.membersTarget(scope)),
      notNullColumns: ['display_name_key'],
    },
    extraValues: (doc, settings) => [
      String(doc['displayName']),
      settings.groupDisplayNameUnique ? foldKey(String(doc['displayName'])) : null,
    ],
    split: (doc) => {
      const { members: refs, ...rest } = doc;
      return { doc: rest, extra: (Array.isArray(refs) ? refs : []).filter(isPlainObject).map(toMemberRef) };
    },
    afterInsert: async (uow, id, refs) => {
      if (refs.length > 0) await members.replace(uow, id, refs, true);
    },
    replaceExtra: (uow, id, refs) => members.replace(uow, id, refs),
    patchExtra: async (uow, id, result) => (result.members ? members.apply(uow, id, result.members) : false),
    memberChange: (uow, id) => members.takeChange(uow, id),
    beforeUpdate: async (uow, id, before, after, now) => {
      if (before['displayName'] !== after['displayName']) await bumpForRename(uow, id, now);
    },
    // Its member rows go with it (ON DELETE CASCADE and explicitly), and it leaves the groups it was in.
    beforeDelete: async (uow, id, now) => {
      await bumpForRename(uow, id, now);
      await membership.removeEverywhere(uow, id, 'Group');
    },
    computed: {
      // excludedAttributes=members reads no member row.
      wanted: (registry, projection) => projectionReturns(registry, 'Group', 'members', projection),
      readOne: async (scope, row, baseUrl) => membersAttribute(await membership.findMembers(scope, row.id), baseUrl),
      readMany: async (scope, rows, baseUrl) => {
        const byGroup = await membership.findMembersOf(
          scope,
          rows.map((r) => r.id),
        );
        return (row) => membersAttribute(byGroup.get(row.id), baseUrl);
      },
    },
  };
}
