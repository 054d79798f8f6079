import { placeholders } from '../database/sql/sql-fragment.js';
import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import type { ResourceScope } from '../database/scope/resource-scope.js';
import { scalar, type ElementTarget } from '../database/sql/sql-targets.js';

/*
 * Every statement on group_members, built from a query scope.
 *
 * A version moves whenever the representation does (RFC 7644 §3.14), derived parts
 * included: a user's `groups[].display` and indirect groups, a group's `members[].display`.
 * Each change bumps the resources it alters with one set-based UPDATE.
 *
 * Lock order (PostgreSQL): groups before users, and within a table ids ascending, so a
 * user rename (which bumps its groups) and a group change (which bumps its users) never
 * wait on each other in a cycle. SqlDialect.lockedIds takes the row locks of a bump in id
 * order before the UPDATE itself runs; SQLite has one writer and needs none. A group change
 * locks its own row before the groups it is nested in (a rename bumps those), so a cycle
 * stays possible only between a nested group's rename and a rename of a user that is a
 * member of both it and a parent; PostgreSQL detects that and TransactionService retries.
 */

/** Depth bound of the nesting closure, so that a membership cycle cannot make the recursion run away. */
export const MAX_NESTING = 32;

export type VersionedTable = 'users' | 'groups';

/**
 * The group-in-group closure as a CTE `name(origin, group_id, depth)`: the rows `seedSql`
 * selects (origin, group, 0), then every group above each of them, one level per step.
 */
export function closureCte(s: ResourceScope, name: string, seedSql: string): string {
  return `${name}(origin, group_id, depth) AS (
      ${seedSql}
      UNION SELECT ${name}.origin, gm.group_id, ${name}.depth + 1
        FROM ${s.from('group_members', 'gm')} JOIN ${name} ON gm.member_id = ${name}.group_id
       WHERE ${s.where('group_members', 'gm')} AND ${name}.depth < ${MAX_NESTING}
    )`;
}

/** Direct and indirect groups of `count` users ($1..$n), as UserGroupRow. */
export function groupsOfSql(s: ResourceScope, count: number): string {
  const ids = placeholders(1, count);
  const seed = `SELECT member_id, group_id, 0 FROM ${s.from('group_members', 'd')} WHERE ${s.where('group_members', 'd')} AND member_id IN (${ids})`;
  return `WITH RECURSIVE ${closureCte(s, 'g', seed)}
    SELECT g.origin AS user_id, g.group_id AS id, MIN(g.depth) AS depth, gr.display_name AS display
      FROM g JOIN ${s.from('groups', 'gr')} ON gr.id = g.group_id
     WHERE ${s.where('groups', 'gr')}
     GROUP BY g.origin, g.group_id, gr.display_name
     ORDER BY g.origin, gr.display_name, g.group_id`;
}

export const groupsOfOneSql = (s: ResourceScope): string => groupsOfSql(s, 1);

/** Groups that have the given member directly: their `members[].display` shows it. */
export function groupsOfMemberSql(s: ResourceScope, memberParam: string): string {
  return `SELECT group_id FROM ${s.from('group_members')} WHERE ${s.where('group_members')} AND member_id = ${memberParam}`;
}

/**
 * Users below the groups `groupIdsSql` selects, directly or through nested groups at any
 * depth: their `groups` (direct and indirect) shows those groups and the ones above them.
 * UNION (not UNION ALL) ends the recursion even on a cycle.
 */
export function usersBelowSql(s: ResourceScope, groupIdsSql: string): string {
  return `WITH RECURSIVE below(id) AS (
      SELECT id FROM ${s.from('groups')} WHERE ${s.where('groups')} AND id IN (${groupIdsSql})
      UNION
      SELECT gm.member_id FROM ${s.from('group_members', 'gm')} JOIN below ON gm.group_id = below.id
       WHERE ${s.where('group_members', 'gm')} AND gm.member_type = 'Group'
    ) SELECT gm.member_id FROM ${s.from('group_members', 'gm')}
       WHERE ${s.where('group_members', 'gm')} AND gm.member_type = 'User' AND gm.group_id IN (SELECT id FROM below)`;
}

/** `UPDATE … SET version = version + 1` for the rows `idsSql` selects, locked in order; `$1` is the time. */
export function bumpSql(
  s: ResourceScope,
  dialect: SqlDialect,
  table: VersionedTable,
  idsSql: string,
  nowait = false,
): string {
  const ids = dialect.lockedIds(s.from(table), s.where(table), idsSql, nowait);
  return `${s.update(table)} version = version + 1, last_modified = $1 WHERE ${s.where(table)} AND id IN (${ids})`;
}

/** The ids among `idsSql` that are rows of `table`: `SELECT id FROM users WHERE id IN (…) OR id IN (…)`. */
export function idsInSql(s: ResourceScope, table: VersionedTable, condition: string): string {
  return `SELECT id FROM ${s.from(table)} WHERE ${s.where(table)} AND (${condition})`;
}

/** `display` comes from the member itself (RFC 7643 §2.4), so it is always current. */
export function membersSql(s: ResourceScope, where: string, groupColumn = ''): string {
  return `SELECT ${groupColumn}gm.member_id AS value, gm.member_type AS type,
    COALESCE(u.display_name, u.user_name, sg.display_name) AS display
  FROM ${s.from('group_members', 'gm')}
  LEFT JOIN ${s.from('users', 'u')} ON gm.member_type = 'User' AND u.id = gm.member_id AND ${s.where('users', 'u')}
  LEFT JOIN ${s.from('groups', 'sg')} ON gm.member_type = 'Group' AND sg.id = gm.member_id AND ${s.where('groups', 'sg')}
  WHERE ${s.where('group_members', 'gm')} AND ${where} ORDER BY gm.group_id, gm.member_id`;
}

export const membersOfOneSql = (s: ResourceScope): string => membersSql(s, 'gm.group_id = $1');

/**
 * Every group above $1 through nested groups (walking up member_id -> group_id). Adding
 * member groups to $1 closes a cycle exactly when one of them is $1 or among these, so one
 * walk serves any number of candidates. UNION ends the walk on an existing cycle; it visits
 * at most the groups of the directory.
 */
export const ancestorsSql = (s: ResourceScope): string => `WITH RECURSIVE a(id) AS (
    SELECT group_id FROM ${s.from('group_members')} WHERE ${s.where('group_members')} AND member_id = $1 AND member_type = 'Group'
    UNION SELECT gm.group_id FROM ${s.from('group_members', 'gm')} JOIN a ON gm.member_id = a.id
     WHERE ${s.where('group_members', 'gm')} AND gm.member_type = 'Group'
  ) SELECT id FROM a`;

/** Members are rows of group_members; `display` lives with the member and is not filterable here. */
export function memberElements(s: ResourceScope): ElementTarget {
  return {
    kind: 'elements',
    from: s.from('group_members', 'gm'),
    correlation: `${s.where('group_members', 'gm')} AND gm.group_id = g.id`,
    owners: (condition) =>
      `g.id IN (SELECT gm.group_id FROM ${s.from('group_members', 'gm')} WHERE ${s.where('group_members', 'gm')} AND ${condition})`,
    scan: 'index',
    sub: (name) =>
      ({
        value: scalar('gm.member_id', 'exact'),
        type: scalar('lower(gm.member_type)', 'folded'),
      })[name],
  };
}

/**
 * A user's `groups` (RFC 7643 §4.1.2) as a filter and sort target. Per row (sorting): one
 * user's closure. For filters: every user's groups at once, as user_groups(user_id, value,
 * depth, display), the closure of the group graph joined once with the direct user
 * memberships, a statement-level CTE, materialized, so that a filter builds it once per
 * query however many of its terms name `groups`.
 */
export function userGroupsTarget(s: ResourceScope): ElementTarget {
  const oneUser = `(WITH RECURSIVE ${closureCte(s, 'ug0', `SELECT member_id, group_id, 0 FROM ${s.from('group_members', 'd')} WHERE ${s.where('group_members', 'd')} AND member_id = u.id`)}
    SELECT ug0.group_id AS value, MIN(ug0.depth) AS depth, gr.display_name AS display
      FROM ug0 JOIN ${s.from('groups', 'gr')} ON gr.id = ug0.group_id WHERE ${s.where('groups', 'gr')} GROUP BY ug0.group_id, gr.display_name) ug`;
  const allUsers = `${closureCte(s, 'gc', `SELECT gq.id, gq.id, 0 FROM ${s.from('groups', 'gq')} WHERE ${s.where('groups', 'gq')}`)},
    user_groups(user_id, value, depth, display) AS MATERIALIZED (
      SELECT um.member_id, gc.group_id, MIN(gc.depth), gr.display_name
        FROM ${s.from('group_members', 'um')} JOIN gc ON gc.origin = um.group_id JOIN ${s.from('groups', 'gr')} ON gr.id = gc.group_id
       WHERE ${s.where('group_members', 'um')} AND um.member_type = 'User' GROUP BY um.member_id, gc.group_id, gr.display_name)`;
  return {
    kind: 'elements',
    from: oneUser,
    correlation: '1 = 1',
    owners: (condition) => `u.id IN (SELECT ug.user_id FROM user_groups ug WHERE ${condition})`,
    prelude: allUsers,
    scan: 'closure',
    sub: (name) =>
      ({
        value: scalar('ug.value', 'exact'),
        display: scalar('scim_fold(ug.display)', 'sqlFolded'),
        type: scalar("(CASE WHEN ug.depth = 0 THEN 'direct' ELSE 'indirect' END)", 'folded'),
      })[name],
  };
}
