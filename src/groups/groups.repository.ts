import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_READER, type SqlParam, type SqlReader, type SqlRow } from '../database/sql-reader.js';
import { runPage, type PageRequest, type PageResult, type PageSource } from '../database/sql/page-query.js';
import type { SqlDialect } from '../database/sql/sql-fragment.js';
import { txQuery, type TxScope } from '../database/transaction.service.js';
import type { GroupRow, GroupWrite, MemberRow, MemberType } from './group.mapper.js';
import { groupTargets, MEMBER_ELEMENTS } from './groups.targets.js';
import { bumpSql, groupsOfMemberSql, usersBelowSql } from './derived-versions.sql.js';
import { FilterToSql } from '../database/sql/filter-to-sql.js';
import { inBatches, ParamBinder } from '../database/sql/sql-fragment.js';
import type { ValidatedFilter } from '../scim/filter/validate-filter.js';
import type { TargetResolver } from '../database/sql/doc-targets.js';

const GROUP_COLUMNS_SQL = 'g.id, g.doc, g.version, g.created, g.last_modified';
// `display` comes from the member itself (RFC 7643 §2.4), so it is always current.
const membersSql = (where: string, groupColumn = ''): string => `SELECT ${groupColumn}gm.member_id AS value, gm.member_type AS type,
    COALESCE(u.display_name, u.user_name, sg.display_name) AS display
  FROM group_members gm
  LEFT JOIN users u ON gm.member_type = 'User' AND u.id = gm.member_id
  LEFT JOIN groups sg ON gm.member_type = 'Group' AND sg.id = gm.member_id
  WHERE ${where} ORDER BY gm.group_id, gm.member_id`;
const MEMBERS_SQL = membersSql('gm.group_id = $1');
// Any constant, the same in every instance.
const GROUP_GRAPH_LOCK = 7_643_0402;
// Bound parameters per statement, below SQLite's and PostgreSQL's limits.
const BATCH = 500;

function placeholders(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
}

function batches<T>(items: readonly T[]): T[][] {
  return inBatches(items, BATCH);
}

export interface ExistingMember {
  readonly id: string;
  readonly type: MemberType;
}

/** The only SQL for groups and memberships. Membership changes are set-based statements. */
@Injectable()
export class GroupsRepository {
  private readonly dialect: SqlDialect;
  private readonly targets: TargetResolver;
  private readonly pageSource: PageSource;

  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.dialect = config.database.type;
    this.targets = groupTargets(this.dialect);
    this.pageSource = {
      reader: this.reader,
      dialect: this.dialect,
      targets: this.targets,
      table: 'groups g',
      columns: GROUP_COLUMNS_SQL,
      idExpr: 'g.id',
      defaultSortExpr: 'g.created',
      notNullExprs: new Set(['g.id', 'g.created', 'g.last_modified', 'g.display_name_key']),
      maxFilterCost: config.filterMaxCost,
    };
  }

  async findById(id: string): Promise<GroupRow | null> {
    const rows = await this.reader.all<GroupRow>('group_by_id', `SELECT ${GROUP_COLUMNS_SQL} FROM groups g WHERE g.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findMembers(groupId: string): Promise<MemberRow[]> {
    return this.reader.all<MemberRow>('group_members', MEMBERS_SQL, [groupId]);
  }

  /** The members of a page of groups in one statement (not one per group), by group id. */
  async findMembersOf(groupIds: readonly string[]): Promise<Map<string, MemberRow[]>> {
    const byGroup = new Map<string, MemberRow[]>(groupIds.map((id) => [id, []]));
    for (const batch of batches(groupIds)) {
      const rows = await this.reader.all<MemberRow & { group_id?: string }>(undefined, membersSql(`gm.group_id IN (${placeholders(1, batch.length)})`, 'gm.group_id, '), batch);
      for (const row of rows) {
        const groupId = row.group_id ?? '';
        delete row.group_id;
        byGroup.get(groupId)?.push(row);
      }
    }
    return byGroup;
  }

  /** One page of groups (RFC 7644 §3.4.2, RFC 9865): filter, sort and paging all in SQL. */
  search(request: PageRequest): Promise<PageResult<GroupRow>> {
    return runPage<GroupRow>(this.pageSource, request);
  }

  async findForUpdate(tx: TxScope, id: string): Promise<GroupRow | null> {
    // NO KEY UPDATE: the id never changes, so member adds (KEY SHARE) need not wait for it.
    const lock = this.dialect === 'postgres' ? ' FOR NO KEY UPDATE' : '';
    const rows = await this.exec<GroupRow>(tx, `SELECT ${GROUP_COLUMNS_SQL} FROM groups g WHERE g.id = $1${lock}`, [id]);
    return rows[0] ?? null;
  }

  async insert(tx: TxScope, id: string, group: GroupWrite, now: string): Promise<void> {
    await this.exec(tx, `INSERT INTO groups (id, display_name, display_name_key, external_id, created, last_modified, version, doc)
      VALUES ($1, $2, $3, $4, $5, $5, 1, $6)`, [id, group.displayName, group.displayNameKey, group.externalId, now, group.doc]);
  }

  async replace(tx: TxScope, id: string, group: GroupWrite, now: string): Promise<void> {
    await this.exec(tx, `UPDATE groups SET display_name = $2, display_name_key = $3, external_id = $4, doc = $5,
      last_modified = $6, version = version + 1 WHERE id = $1`, [id, group.displayName, group.displayNameKey, group.externalId, group.doc, now]);
  }

  async touch(tx: TxScope, id: string, now: string): Promise<void> {
    await this.exec(tx, 'UPDATE groups SET last_modified = $2, version = version + 1 WHERE id = $1', [id, now]);
  }

  /**
   * Which of the ids name an existing user or group, and which of the two. On
   * PostgreSQL the rows are key-share locked until commit, so a concurrent DELETE
   * of a member waits for this transaction and then removes the new membership too.
   */
  async findMemberTargets(tx: TxScope, ids: readonly string[]): Promise<ExistingMember[]> {
    const lock = this.dialect === 'postgres' ? ' FOR KEY SHARE' : '';
    const found: ExistingMember[] = [];
    for (const batch of batches(ids)) {
      const list = placeholders(1, batch.length);
      found.push(...(await this.exec<ExistingMember>(tx, `SELECT id, 'User' AS type FROM users WHERE id IN (${list})${lock}`, batch)));
      found.push(...(await this.exec<ExistingMember>(tx, `SELECT id, 'Group' AS type FROM groups WHERE id IN (${list})${lock}`, batch)));
    }
    return found;
  }

  /**
   * Serialises changes to the group-in-group graph across instances, so that two
   * concurrent requests cannot each pass the cycle check and together close a cycle.
   * Nested-group changes are rare; plain user memberships never take this lock.
   */
  async lockGroupGraph(tx: TxScope): Promise<void> {
    if (this.dialect === 'postgres') await this.exec(tx, 'SELECT pg_advisory_xact_lock($1)', [GROUP_GRAPH_LOCK]);
  }

  /** True when `groupId` is `candidate` or one of its nested member groups (adding it would make a cycle). */
  async wouldCycle(tx: TxScope, groupId: string, candidate: string): Promise<boolean> {
    if (groupId === candidate) return true;
    const rows = await this.exec(tx, `WITH RECURSIVE d(id) AS (
        SELECT member_id FROM group_members WHERE group_id = $1 AND member_type = 'Group'
        UNION SELECT gm.member_id FROM group_members gm JOIN d ON gm.group_id = d.id WHERE gm.member_type = 'Group'
      ) SELECT 1 AS hit FROM d WHERE id = $2 LIMIT 1`, [candidate, groupId]);
    return rows.length > 0;
  }

  async memberIds(tx: TxScope, groupId: string): Promise<string[]> {
    const rows = await this.exec(tx, 'SELECT member_id FROM group_members WHERE group_id = $1', [groupId]);
    return rows.map((r) => String(r['member_id']));
  }

  /** Inserts the members not yet present; returns the ones actually added. */
  async addMembers(tx: TxScope, groupId: string, members: readonly ExistingMember[]): Promise<ExistingMember[]> {
    const added: ExistingMember[] = [];
    for (const batch of batches(members)) {
      const values = batch.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
      added.push(...(await this.exec<ExistingMember>(tx, `INSERT INTO group_members (group_id, member_id, member_type) VALUES ${values}
        ON CONFLICT DO NOTHING RETURNING member_id AS id, member_type AS type`, [groupId, ...batch.flatMap((m) => [m.id, m.type])])));
    }
    return added;
  }

  /** Deletes the listed members; returns the ones that were members. */
  async removeMembers(tx: TxScope, groupId: string, memberIds: readonly string[]): Promise<ExistingMember[]> {
    const removed: ExistingMember[] = [];
    for (const batch of batches(memberIds)) {
      removed.push(...(await this.exec<ExistingMember>(tx, `DELETE FROM group_members WHERE group_id = $1 AND member_id IN (${placeholders(2, batch.length)})
        RETURNING member_id AS id, member_type AS type`, [groupId, ...batch])));
    }
    return removed;
  }

  async removeAllMembers(tx: TxScope, groupId: string): Promise<ExistingMember[]> {
    return this.exec<ExistingMember>(tx, 'DELETE FROM group_members WHERE group_id = $1 RETURNING member_id AS id, member_type AS type', [groupId]);
  }

  /** RFC 7644 §3.5.2.2 `members[filter]`: deletes the members the filter selects, in SQL. */
  async removeMembersWhere(tx: TxScope, groupId: string, filter: ValidatedFilter): Promise<ExistingMember[]> {
    const binder = new ParamBinder(this.dialect, 1);
    const condition = new FilterToSql(this.targets, binder).translateWithin(MEMBER_ELEMENTS, filter);
    binder.params[0] = groupId;
    return this.exec<ExistingMember>(tx, `DELETE FROM group_members WHERE group_id = $1 AND member_id IN (
        SELECT gm.member_id FROM group_members gm WHERE gm.group_id = $1 AND ${condition})
      RETURNING member_id AS id, member_type AS type`, binder.params);
  }

  /**
   * A user's `groups` is part of its representation, so its version moves with membership:
   * the users added or removed directly, and every user below the nested groups added or
   * removed (their indirect groups changed). One statement per batch, rows locked in id order.
   */
  async bumpUsers(tx: TxScope, userIds: readonly string[], now: string, nestedGroupIds: readonly string[] = []): Promise<void> {
    if (nestedGroupIds.length === 0 || userIds.length + nestedGroupIds.length > BATCH) {
      for (const batch of batches(nestedGroupIds)) {
        await this.exec(tx, bumpSql(this.dialect, 'users', usersBelowSql(placeholders(2, batch.length))), [now, ...batch]);
      }
      for (const batch of batches(userIds)) {
        await this.exec(tx, bumpSql(this.dialect, 'users', placeholders(2, batch.length)), [now, ...batch]);
      }
      return;
    }
    const direct = placeholders(2, userIds.length);
    const below = usersBelowSql(placeholders(2 + userIds.length, nestedGroupIds.length));
    const ids = userIds.length > 0 ? `SELECT id FROM users WHERE id IN (${direct}) OR id IN (${below})` : below;
    await this.exec(tx, bumpSql(this.dialect, 'users', ids), [now, ...userIds, ...nestedGroupIds]);
  }

  /**
   * A rename changes `members[].display` in the groups this one is nested in and
   * `groups[].display` of every user below it: both get a new version (groups first).
   */
  async bumpForRename(tx: TxScope, id: string, now: string): Promise<void> {
    await this.exec(tx, bumpSql(this.dialect, 'groups', groupsOfMemberSql('$2')), [now, id]);
    await this.exec(tx, bumpSql(this.dialect, 'users', usersBelowSql('$2')), [now, id]);
  }

  /**
   * Deletes a group: its member rows go with it (ON DELETE CASCADE and explicitly),
   * it leaves the groups it was nested in, and those and every user below it (directly or
   * through nested groups) get new versions.
   */
  async delete(tx: TxScope, id: string, now: string): Promise<boolean> {
    const lock = this.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const found = await this.exec(tx, `SELECT id FROM groups WHERE id = $1${lock}`, [id]);
    if (found.length === 0) return false;
    await this.exec(tx, bumpSql(this.dialect, 'groups', groupsOfMemberSql('$2')), [now, id]);
    await this.exec(tx, bumpSql(this.dialect, 'users', usersBelowSql('$2')), [now, id]);
    await this.exec(tx, 'DELETE FROM group_members WHERE group_id = $1 OR member_id = $1', [id]);
    await this.exec(tx, 'DELETE FROM groups WHERE id = $1', [id]);
    return true;
  }

  private exec<T extends object = SqlRow>(tx: TxScope, sql: string, params: readonly SqlParam[]): Promise<T[]> {
    return txQuery<T>(tx, this.dialect, sql, params);
  }
}
