import { Inject, Injectable } from '@nestjs/common';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import type { ResourceScope } from '../database/scope/resource-scope.js';
import { SQL_READER, type SqlParam, type SqlReader } from '../database/sql-reader.js';
import { FilterToSql } from '../database/sql/filter-to-sql.js';
import { inBatches, ParamBinder } from '../database/sql/sql-fragment.js';
import type { ElementTarget } from '../database/sql/sql-targets.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import type { ValidatedFilter } from '../scim/filter/validate-filter.js';
import type { ExistingMember, MemberRow, MemberType, UserGroupRow } from './membership.types.js';
import {
  ancestorsSql,
  bumpSql,
  groupsOfMemberSql,
  groupsOfOneSql,
  groupsOfSql,
  idsInSql,
  memberElements,
  membersOfOneSql,
  membersSql,
  userGroupsTarget,
  usersBelowSql,
  type VersionedTable,
} from './membership.sql.js';
import { placeholders } from '../database/sql/sql-fragment.js';

// Any constant, the same in every instance.
const GROUP_GRAPH_LOCK = 7_643_0402;
// Bound parameters per statement, below SQLite's and PostgreSQL's limits.
const BATCH = 500;

/**
 * The only SQL on group_members: members of groups, groups of users (the nesting closure),
 * the cycle check, and the version bumps a membership change causes on both sides. Users
 * and Groups both use it; GroupMembershipService holds the SCIM rules that call it.
 */
@Injectable()
export class MembershipRepository {
  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
  ) {}

  /** The filter and sort target of a user's `groups`. */
  userGroupsTarget(scope: ResourceScope): ElementTarget {
    return userGroupsTarget(scope);
  }

  /** The filter and sort target of a group's `members`. */
  membersTarget(scope: ResourceScope): ElementTarget {
    return memberElements(scope);
  }

  /** Direct and indirect groups of the given users, in one recursive query. */
  async findGroupsOf(scope: ResourceScope, userIds: readonly string[]): Promise<UserGroupRow[]> {
    if (userIds.length === 0) return [];
    if (userIds.length === 1)
      return this.reader.all<UserGroupRow>(
        scope.statementName('user_groups_1'),
        scope.statement(groupsOfOneSql),
        userIds,
      );
    return this.reader.all<UserGroupRow>(undefined, groupsOfSql(scope, userIds.length), userIds);
  }

  findMembers(scope: ResourceScope, groupId: string): Promise<MemberRow[]> {
    return this.reader.all<MemberRow>(scope.statementName('group_members'), scope.statement(membersOfOneSql), [
      groupId,
    ]);
  }

  /** The members of a page of groups in one statement (not one per group), by group id. */
  async findMembersOf(scope: ResourceScope, groupIds: readonly string[]): Promise<Map<string, MemberRow[]>> {
    const byGroup = new Map<string, MemberRow[]>(groupIds.map((id) => [id, []]));
    for (const batch of inBatches(groupIds, BATCH)) {
      const sql = membersSql(scope, `gm.group_id IN (${placeholders(1, batch.length)})`, 'gm.group_id, ');
      for (const row of await this.reader.all<MemberRow & { group_id?: string }>(undefined, sql, batch)) {
        const groupId = row.group_id ?? '';
        delete row.group_id;
        byGroup.get(groupId)?.push(row);
      }
    }
    return byGroup;
  }

  /**
   * Which of the ids name an existing user or group, and which of the two. On
   * PostgreSQL the rows are key-share locked until commit, so a concurrent DELETE
   * of a member waits for this transaction and then removes the new membership too.
   */
  async findMemberTargets(uow: UnitOfWork, ids: readonly string[]): Promise<ExistingMember[]> {
    const s = uow.scope;
    const lock = this.dialect.lock('keyShare');
    const found: ExistingMember[] = [];
    for (const batch of inBatches(ids, BATCH)) {
      const list = placeholders(1, batch.length);
      for (const [table, type] of [
        ['users', 'User'],
        ['groups', 'Group'],
      ] as const) {
        const sql = `SELECT id, '${type}' AS type FROM ${s.from(table)} WHERE ${s.where(table)} AND id IN (${list})${lock}`;
        found.push(...(await uow.query<ExistingMember>(sql, batch)));
      }
    }
    return found;
  }

  /**
   * Serialises changes to the group-in-group graph across instances, so that two
   * concurrent requests cannot each pass the cycle check and together close a cycle.
   * Nested-group changes are rare; plain user memberships never take this lock.
   */
  async lockGroupGraph(uow: UnitOfWork): Promise<void> {
    const sql = this.dialect.advisoryTransactionLockSql;
    if (sql) await uow.query(sql, [GROUP_GRAPH_LOCK]);
  }

  /**
   * The first of `candidates` whose addition to `groupId` would make a cycle: `groupId`
   * itself or a group above it. One ancestor walk for all of them, tested in memory.
   */
  async firstCycle(uow: UnitOfWork, groupId: string, candidates: readonly string[]): Promise<string | undefined> {
    if (candidates.length === 0 || candidates[0] === groupId) return candidates[0];
    const rows = await uow.query(uow.scope.statement(ancestorsSql), [groupId]);
    const above = new Set(rows.map((r) => String(r['id'])));
    return candidates.find((c) => c === groupId || above.has(c));
  }

  async memberIds(uow: UnitOfWork, groupId: string): Promise<string[]> {
    const s = uow.scope;
    const rows = await uow.query(
      `SELECT member_id FROM ${s.from('group_members')} WHERE ${s.where('group_members')} AND group_id = $1`,
      [groupId],
    );
    return rows.map((r) => String(r['member_id']));
  }

  /** Inserts the members not yet present; returns the ones actually added. */
  async addMembers(uow: UnitOfWork, groupId: string, members: readonly ExistingMember[]): Promise<ExistingMember[]> {
    const added: ExistingMember[] = [];
    for (const batch of inBatches(members, BATCH)) {
      const values = batch.map((_, i) => `$1, $${i * 2 + 2}, $${i * 2 + 3}`);
      const sql = `${uow.scope.insertInto('group_members', 'group_id, member_id, member_type', values)}
        ${this.dialect.onConflictDoNothing()} RETURNING member_id AS id, member_type AS type`;
      added.push(...(await uow.query<ExistingMember>(sql, [groupId, ...batch.flatMap((m) => [m.id, m.type])])));
    }
    return added;
  }

  /** Deletes the listed members; returns the ones that were members. */
  async removeMembers(uow: UnitOfWork, groupId: string, memberIds: readonly string[]): Promise<ExistingMember[]> {
    const removed: ExistingMember[] = [];
    for (const batch of inBatches(memberIds, BATCH)) {
      removed.push(
        ...(await this.deleteMembers(uow, `group_id = $1 AND member_id IN (${placeholders(2, batch.length)})`, [
          groupId,
          ...batch,
        ])),
      );
    }
    return removed;
  }

  removeAllMembers(uow: UnitOfWork, groupId: string): Promise<ExistingMember[]> {
    return this.deleteMembers(uow, 'group_id = $1', [groupId]);
  }

  /** RFC 7644 §3.5.2.2 `members[filter]`: deletes the members the filter selects, in SQL. */
  removeMembersWhere(uow: UnitOfWork, groupId: string, filter: ValidatedFilter): Promise<ExistingMember[]> {
    const s = uow.scope;
    const elements = this.membersTarget(s);
    const binder = new ParamBinder(this.dialect, 1);
    const condition = new FilterToSql(() => elements, binder).translateWithin(elements, filter);
    binder.params[0] = groupId;
    return this.deleteMembers(
      uow,
      `group_id = $1 AND member_id IN (
        SELECT gm.member_id FROM ${s.from('group_members', 'gm')} WHERE ${s.where('group_members', 'gm')} AND gm.group_id = $1 AND ${condition})`,
      binder.params,
    );
  }

  /**
   * A user's `groups` is part of its representation, so its version moves with membership:
   * the users added or removed directly, and every user below the nested groups added or
   * removed (their indirect groups changed). One statement per batch, rows locked in id order.
   */
  async bumpUsers(
    uow: UnitOfWork,
    userIds: readonly string[],
    now: string,
    nestedGroupIds: readonly string[] = [],
  ): Promise<void> {
    const s = uow.scope;
    if (nestedGroupIds.length === 0 || userIds.length + nestedGroupIds.length > BATCH) {
      for (const batch of inBatches(nestedGroupIds, BATCH)) {
        await uow.query(this.bump(s, 'users', usersBelowSql(s, placeholders(2, batch.length))), [now, ...batch]);
      }
      for (const batch of inBatches(userIds, BATCH))
        await uow.query(this.bump(s, 'users', placeholders(2, batch.length)), [now, ...batch]);
      return;
    }
    const below = usersBelowSql(s, placeholders(2 + userIds.length, nestedGroupIds.length));
    const ids =
      userIds.length > 0
        ? idsInSql(s, 'users', `id IN (${placeholders(2, userIds.length)}) OR id IN (${below})`)
        : below;
    await uow.query(this.bump(s, 'users', ids), [now, ...userIds, ...nestedGroupIds]);
  }

  /**
   * Locks the groups `memberId` is a direct member of, in id order, before the member's own
   * row: the lock order of membership.sql.ts (groups before users), for writes that may
   * bump those groups (a changed member display, a delete). No-op where writes are serial.
   */
  async lockGroupsOf(uow: UnitOfWork, memberId: string): Promise<void> {
    const s = uow.scope;
    const sql = this.dialect.lockedIds(s.from('groups'), s.where('groups'), groupsOfMemberSql(s, '$1'));
    if (!this.dialect.singleWriter) await uow.query(sql, [memberId]);
  }

  /**
   * The member's `members[].display` changed: the groups it is directly in get a new version.
   * With `nowait`, a group another transaction holds fails the statement at once (PostgreSQL
   * 55P03, see isLockNotAvailable) instead of waiting while the member's row is held.
   */
  async bumpGroupsOf(uow: UnitOfWork, memberId: string, now: string, nowait = false): Promise<void> {
    await uow.query(this.bump(uow.scope, 'groups', groupsOfMemberSql(uow.scope, '$2'), nowait), [now, memberId]);
  }

  /** A group's rename or delete changes `groups[].display` of every user below it: they get a new version. */
  async bumpUsersBelow(uow: UnitOfWork, groupId: string, now: string): Promise<void> {
    await uow.query(this.bump(uow.scope, 'users', usersBelowSql(uow.scope, '$2')), [now, groupId]);
  }

  /** A deleted user or group leaves every group it was in (and a group loses its own members). */
  async removeEverywhere(uow: UnitOfWork, id: string, type: MemberType): Promise<void> {
    await this.deleteMembers(uow, type === 'Group' ? 'group_id = $1 OR member_id = $1' : 'member_id = $1', [id], false);
  }

  private bump(s: ResourceScope, table: VersionedTable, idsSql: string, nowait = false): string {
    return bumpSql(s, this.dialect, table, idsSql, nowait);
  }

  private deleteMembers(
    uow: UnitOfWork,
    condition: string,
    params: readonly SqlParam[],
    returning = true,
  ): Promise<ExistingMember[]> {
    const s = uow.scope;
    const tail = returning ? ' RETURNING member_id AS id, member_type AS type' : '';
    return uow.query<ExistingMember>(
      `${s.deleteFrom('group_members')} WHERE ${s.where('group_members')} AND (${condition})${tail}`,
      params,
    );
  }
}
