import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { DEFAULT_SCOPE, type ResourceScope } from '../database/scope/resource-scope.js';
import { SQL_READER, type SqlReader } from '../database/sql-reader.js';
import { runPage, type PageRequest, type PageResult, type PageSource } from '../database/sql/page-query.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import type { GroupRow, GroupWrite } from './group.mapper.js';
import { groupTargets } from './groups.targets.js';

const GROUP_COLUMNS_SQL = 'g.id, g.doc, g.version, g.created, g.last_modified';

const byIdSql = (s: ResourceScope): string =>
  `SELECT ${GROUP_COLUMNS_SQL} FROM ${s.from('groups', 'g')} WHERE ${s.where('groups', 'g')} AND g.id = $1`;

/**
 * The only SQL for groups' own rows; members are the MembershipRepository's. Reads take
 * the query scope, writes the unit of work.
 */
@Injectable()
export class GroupsRepository {
  private readonly pageSource: PageSource;

  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly membership: MembershipRepository,
  ) {
    const targets = groupTargets(dialect, membership.membersTarget(DEFAULT_SCOPE));
    this.pageSource = {
      reader: this.reader,
      dialect,
      targets,
      table: 'groups',
      alias: 'g',
      columns: GROUP_COLUMNS_SQL,
      idExpr: 'g.id',
      defaultSortExpr: 'g.created',
      notNullExprs: new Set(['g.id', 'g.created', 'g.last_modified', 'g.display_name_key']),
      maxFilterCost: config.filterMaxCost,
    };
  }

  async findById(scope: ResourceScope, id: string): Promise<GroupRow | null> {
    const rows = await this.reader.all<GroupRow>('group_by_id', scope.statement(byIdSql), [id]);
    return rows[0] ?? null;
  }

  /** One page of groups (RFC 7644 §3.4.2, RFC 9865): filter, sort and paging all in SQL. */
  search(scope: ResourceScope, request: PageRequest): Promise<PageResult<GroupRow>> {
    return runPage<GroupRow>(this.pageSource, scope, request);
  }

  async findForUpdate(uow: UnitOfWork, id: string): Promise<GroupRow | null> {
    const s = uow.scope;
    // NO KEY UPDATE: the id never changes, so member adds (KEY SHARE) need not wait for it.
    const rows = await uow.query<GroupRow>(`SELECT ${GROUP_COLUMNS_SQL} FROM ${s.from('groups', 'g')}
      WHERE ${s.where('groups', 'g')} AND g.id = $1${this.dialect.lock('noKeyUpdate')}`, [id]);
    return rows[0] ?? null;
  }

  async insert(uow: UnitOfWork, id: string, group: GroupWrite, now: string): Promise<void> {
    await uow.query(`${uow.scope.insertInto('groups', 'id, display_name, display_name_key, external_id, created, last_modified, version, doc')}
      VALUES ($1, $2, $3, $4, $5, $5, 1, $6)`, [id, group.displayName, group.displayNameKey, group.externalId, now, group.doc]);
  }

  async replace(uow: UnitOfWork, id: string, group: GroupWrite, now: string): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.update('groups')} display_name = $2, display_name_key = $3, external_id = $4, doc = $5,
      last_modified = $6, version = version + 1 WHERE ${s.where('groups')} AND id = $1`,
    [id, group.displayName, group.displayNameKey, group.externalId, group.doc, now]);
  }

  /**
   * A rename changes `members[].display` in the groups this one is nested in and
   * `groups[].display` of every user below it: both get a new version (groups first).
   */
  async bumpForRename(uow: UnitOfWork, id: string, now: string): Promise<void> {
    await this.membership.bumpGroupsOf(uow, id, now);
    await this.membership.bumpUsersBelow(uow, id, now);
  }

  /**
   * Deletes a group: its member rows go with it (ON DELETE CASCADE and explicitly),
   * it leaves the groups it was nested in, and those and every user below it (directly or
   * through nested groups) get new versions.
   */
  async delete(uow: UnitOfWork, id: string, now: string): Promise<boolean> {
    const s = uow.scope;
    const found = await uow.query(`SELECT id FROM ${s.from('groups')} WHERE ${s.where('groups')} AND id = $1${this.dialect.lock('update')}`, [id]);
    if (found.length === 0) return false;
    await this.bumpForRename(uow, id, now);
    await this.membership.removeEverywhere(uow, id, 'Group');
    await uow.query(`${s.deleteFrom('groups')} WHERE ${s.where('groups')} AND id = $1`, [id]);
    return true;
  }
}
