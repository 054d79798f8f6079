import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { DEFAULT_SCOPE, type ResourceScope } from '../database/scope/resource-scope.js';
import { SQL_READER, type SqlReader } from '../database/sql-reader.js';
import { runPage, type PageRequest, type PageResult, type PageSource } from '../database/sql/page-query.js';
import { inBatches } from '../database/sql/sql-fragment.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { perRegistry } from '../scim/schema/per-registry.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { indexedAttributeNamesOf } from './multi-values.js';
import type { UserRow, UserWrite } from './user.mapper.js';
import { userTargets } from './users.targets.js';

const USER_COLUMNS_SQL = 'u.id, u.doc, u.version, u.created, u.last_modified';

// Rows per multi_values INSERT: 6 parameters each, about 3,000 per statement.
const MULTI_VALUE_BATCH = 500;

const byIdSql = (s: ResourceScope): string =>
  `SELECT ${USER_COLUMNS_SQL} FROM ${s.from('users', 'u')} WHERE ${s.where('users', 'u')} AND u.id = $1`;

type LockedUserRow = UserRow & { password_hash: string | null };

/**
 * The only SQL for users (group memberships are the MembershipRepository's). Reads take
 * the query scope and use prepared statements; writes take the unit of work.
 */
@Injectable()
export class UsersRepository {
  /** The filter targets follow the schema (its indexed attributes): one page source per compiled registry. */
  private readonly pageSource: (registry: SchemaRegistry) => PageSource;

  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly membership: MembershipRepository,
  ) {
    this.pageSource = perRegistry((registry) => ({
      reader: this.reader,
      dialect,
      targets: userTargets(dialect, DEFAULT_SCOPE, membership.userGroupsTarget(DEFAULT_SCOPE), indexedAttributeNamesOf(registry)),
      table: 'users',
      alias: 'u',
      columns: USER_COLUMNS_SQL,
      idExpr: 'u.id',
      defaultSortExpr: 'u.created',
      notNullExprs: new Set(['u.id', 'u.created', 'u.last_modified', 'u.user_name_key']),
      maxFilterCost: config.filterMaxCost,
    }));
  }

  async findById(scope: ResourceScope, id: string): Promise<UserRow | null> {
    const rows = await this.reader.all<UserRow>('user_by_id', scope.statement(byIdSql), [id]);
    return rows[0] ?? null;
  }

  /** One page of users (RFC 7644 §3.4.2, RFC 9865): filter, sort and paging all in SQL. */
  search(scope: ResourceScope, request: PageRequest, registry: SchemaRegistry): Promise<PageResult<UserRow>> {
    return runPage<UserRow>(this.pageSource(registry), scope, request);
  }

  async insert(uow: UnitOfWork, id: string, user: UserWrite, passwordHash: string | null, now: string): Promise<void> {
    const columns = 'id, user_name, user_name_key, external_id, display_name, display_name_key, active, created, last_modified, version, doc, password_hash';
    await uow.query(`${uow.scope.insertInto('users', columns)} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $9, $10)`, [
      id, user.userName, user.userNameKey, user.externalId, user.displayName, user.displayNameKey,
      user.active, now, user.doc, passwordHash,
    ]);
    await this.writeMultiValues(uow, id, user.multiValues);
  }

  /**
   * Rewrites the filter rows of one user's multi-valued attributes, in multi-row
   * INSERTs of at most MULTI_VALUE_BATCH rows, so that no statement nears SQLite's
   * bound-parameter limit whatever MAX_VALUES_PER_ATTRIBUTE allows.
   */
  private async writeMultiValues(uow: UnitOfWork, id: string, rows: UserWrite['multiValues']): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.deleteFrom('multi_values')} WHERE ${s.where('multi_values')} AND resource_id = $1`, [id]);
    for (const batch of inBatches(rows, MULTI_VALUE_BATCH)) {
      const values = batch.map((_, i) => `($1, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6}, $${i * 6 + 7})`);
      const params = batch.flatMap((r) => [r.attr, r.idx, r.valueKey, r.typeKey, r.displayKey, r.isPrimary]);
      await uow.query(`${s.insertInto('multi_values', 'resource_id, attr, idx, value_key, type_key, display_key, is_primary')}
        VALUES ${values.join(', ')}`, [id, ...params]);
    }
  }

  /** The row, locked against concurrent writers until the transaction ends (PostgreSQL). */
  async findForUpdate(uow: UnitOfWork, id: string): Promise<LockedUserRow | null> {
    const s = uow.scope;
    // NO KEY UPDATE: the id never changes, so member adds (KEY SHARE) need not wait for it.
    const rows = await uow.query<LockedUserRow>(`SELECT ${USER_COLUMNS_SQL}, u.password_hash FROM ${s.from('users', 'u')}
      WHERE ${s.where('users', 'u')} AND u.id = $1${this.dialect.lock('noKeyUpdate')}`, [id]);
    return rows[0] ?? null;
  }

  async replace(uow: UnitOfWork, id: string, user: UserWrite, passwordHash: string | null, now: string): Promise<void> {
    const s = uow.scope;
    await uow.query(`${s.update('users')} user_name = $2, user_name_key = $3, external_id = $4, display_name = $5,
      display_name_key = $6, active = $7, doc = $8, password_hash = $9, last_modified = $10, version = version + 1
      WHERE ${s.where('users')} AND id = $1`, [
      id, user.userName, user.userNameKey, user.externalId, user.displayName, user.displayNameKey,
      user.active, user.doc, passwordHash, now,
    ]);
    await this.writeMultiValues(uow, id, user.multiValues);
  }

  /**
   * Deletes the user and its memberships; the groups it left get a new version,
   * since their member list changed. False when there was no such user.
   */
  async delete(uow: UnitOfWork, id: string, now: string): Promise<boolean> {
    const s = uow.scope;
    // The row lock waits for transactions that are adding this user to a group (KEY SHARE).
    const found = await uow.query(`SELECT id FROM ${s.from('users')} WHERE ${s.where('users')} AND id = $1${this.dialect.lock('update')}`, [id]);
    if (found.length === 0) return false;
    await this.membership.bumpGroupsOf(uow, id, now);
    await this.membership.removeEverywhere(uow, id, 'User');
    await uow.query(`${s.deleteFrom('multi_values')} WHERE ${s.where('multi_values')} AND resource_id = $1`, [id]);
    await uow.query(`${s.deleteFrom('users')} WHERE ${s.where('users')} AND id = $1`, [id]);
    return true;
  }
}
