import type { SqlDialect } from '../database/sql/sql-fragment.js';
import { driverErrorCode } from '../database/driver-error.js';

/*
 * A version moves whenever the representation does (RFC 7644 §3.14), derived parts
 * included: a user's `groups[].display` and indirect groups, a group's `members[].display`.
 * Each change bumps the resources it alters with one set-based UPDATE.
 *
 * Lock order (PostgreSQL): groups before users, and within a table ids ascending, so a
 * user rename (which bumps its groups) and a group change (which bumps its users) never
 * wait on each other in a cycle. `locked()` takes the row locks of a bump in id order
 * before the UPDATE itself runs; SQLite has one writer and needs none. A group change
 * locks its own row before the groups it is nested in (a rename bumps those), so a cycle
 * stays possible only between a nested group's rename and a rename of a user that is a
 * member of both it and a parent; PostgreSQL detects that and TransactionService retries.
 */
export function locked(dialect: SqlDialect, table: 'users' | 'groups', idsSql: string, nowait = false): string {
  if (dialect !== 'postgres') return idsSql;
  return `SELECT id FROM ${table} WHERE id IN (${idsSql}) ORDER BY id FOR NO KEY UPDATE${nowait ? ' NOWAIT' : ''}`;
}

/** Groups that have the given member directly: their `members[].display` shows it. */
export function groupsOfMemberSql(memberParam: string): string {
  return `SELECT group_id FROM group_members WHERE member_id = ${memberParam}`;
}

/**
 * Users below the groups `groupIdsSql` selects, directly or through nested groups at any
 * depth: their `groups` (direct and indirect) shows those groups and the ones above them.
 * UNION (not UNION ALL) ends the recursion even on a cycle.
 */
export function usersBelowSql(groupIdsSql: string): string {
  return `WITH RECURSIVE below(id) AS (
      SELECT id FROM groups WHERE id IN (${groupIdsSql})
      UNION
      SELECT gm.member_id FROM group_members gm JOIN below ON gm.group_id = below.id WHERE gm.member_type = 'Group'
    ) SELECT gm.member_id FROM group_members gm WHERE gm.member_type = 'User' AND gm.group_id IN (SELECT id FROM below)`;
}

/** `UPDATE … SET version = version + 1` for the rows `idsSql` selects, locked in order; `$1` is the time. */
export function bumpSql(dialect: SqlDialect, table: 'users' | 'groups', idsSql: string, nowait = false): string {
  return `UPDATE ${table} SET version = version + 1, last_modified = $1 WHERE id IN (${locked(dialect, table, idsSql, nowait)})`;
}

/** PostgreSQL lock_not_available: a NOWAIT lock found the row held. */
export function isLockNotAvailable(error: unknown): boolean {
  return driverErrorCode(error) === '55P03';
}
