import { hash as argon2Hash, Algorithm } from '@node-rs/argon2';
import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import type { MembershipRepository } from '../membership/membership.repository.js';
import type { ResourceTypeParts } from '../resources/resource-type.parts.js';
import type { InputLimits } from '../scim/resource/input-limits.js';
import { projectionReturns } from '../scim/resource/project-attributes.js';
import type { ScimObject } from '../scim/resource/scim-resource.js';
import { indexedAttributeNamesOf, indexedAttributesOf, toMultiValueRows, type MultiValueRow } from './multi-values.js';
import { memberDisplay, toGroupsAttribute, type UserGroupRow } from './user.mapper.js';
import type { UsersRepository } from './users.repository.js';
import { userTargets } from './users.targets.js';

/** What the User parts use. */
export interface UserPartsDeps {
  readonly dialect: SqlDialect;
  readonly membership: MembershipRepository;
  readonly multiValues: UsersRepository;
  readonly limits: Pick<InputLimits, 'keyBytes'>;
}

function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, { algorithm: Algorithm.Argon2id });
}

/** RFC 7643 §4.1.2: `groups` is computed from memberships; none is no attribute. */
function groupsAttribute(groups: readonly UserGroupRow[] | undefined, baseUrl: string): ScimObject {
  return groups && groups.length > 0 ? { groups: toGroupsAttribute(groups, baseUrl) } : {};
}

/**
 * What Users add to the shared rules (RFC 7643 §4.1): `password` is writeOnly and stored
 * as its argon2id hash; multi-valued attributes are kept in multi_values for filtering;
 * `groups` is computed from memberships; a changed member display (displayName, else
 * userName) or a delete gives the user's groups new versions, their rows locked first.
 */
export function userParts({
  dialect,
  membership,
  multiValues,
  limits,
}: UserPartsDeps): ResourceTypeParts<readonly MultiValueRow[]> {
  return {
    repository: {
      // The values as sent, and the password hash.
      extraColumns: ['user_name', 'display_name', 'password_hash'],
      lockedColumns: ['password_hash'],
      notNullColumns: ['user_name_key'],
      targets: (_derived, registry, scope) =>
        userTargets(dialect, scope, membership.userGroupsTarget(scope), indexedAttributeNamesOf(registry)),
    },
    extraValues: (doc) => [String(doc['userName']), typeof doc['displayName'] === 'string' ? doc['displayName'] : null],
    split: (doc, registry) => ({ doc, extra: toMultiValueRows(doc, indexedAttributesOf(registry), limits) }),
    secret: { attribute: 'password', column: 'password_hash', prepare: hashPassword },
    lockRelated: (uow, id) => membership.lockGroupsOf(uow, id),
    afterInsert: (uow, id, rows) => multiValues.insertMultiValues(uow, id, rows),
    afterUpdate: async (uow, id, rows, change) => {
      await multiValues.writeMultiValues(uow, id, rows);
      if (memberDisplay(change.before) !== memberDisplay(change.after)) {
        await membership.bumpGroupsOf(uow, id, change.now, !change.relatedLocked);
      }
    },
    // The groups it leaves get a new version, since their member list changed.
    beforeDelete: async (uow, id, now, soft) => {
      await membership.bumpGroupsOf(uow, id, now);
      await membership.removeEverywhere(uow, id, 'User');
      if (!soft) await multiValues.deleteMultiValues(uow, id);
    },
    computed: {
      // `groups` costs a recursive query, so it is read only when the projection returns it.
      wanted: (registry, projection) => projectionReturns(registry, 'User', 'groups', projection),
      readOne: async (scope, row, baseUrl) => groupsAttribute(await membership.findGroupsOf(scope, [row.id]), baseUrl),
      readMany: async (scope, rows, baseUrl) => {
        const byUser = new Map<string, UserGroupRow[]>();
        for (const g of await membership.findGroupsOf(
          scope,
          rows.map((r) => r.id),
        )) {
          const list = byUser.get(g.user_id);
          if (list) list.push(g);
          else byUser.set(g.user_id, [g]);
        }
        return (row) => groupsAttribute(byUser.get(row.id), baseUrl);
      },
    },
  };
}
