import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_READER, type SqlParam, type SqlReader, type SqlRow } from '../database/sql-reader.js';
import { runPage, type PageRequest, type PageResult, type PageSource } from '../database/sql/page-query.js';
import { inBatches, type SqlDialect } from '../database/sql/sql-fragment.js';
import { indexedAttributeNamesOf } from './multi-values.js';
import { userTargets } from './users.targets.js';
import { perRegistry } from '../scim/schema/per-registry.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { txQuery, type TxScope } from '../database/transaction.service.js';
import type { UserGroupRow, UserRow, UserWrite } from './user.mapper.js';
import { bumpSql, groupsOfMemberSql, locked } from '../groups/derived-versions.sql.js';

const USER_COLUMNS_SQL = 'u.id, u.doc, u.version, u.created, u.last_modified';

// Rows per multi_values INSERT: 6 parameters each, about 3,000 per statement.
const MULTI_VALUE_BATCH = 500;

// Depth-bounded so that a membership cycle cannot make the recursion run away.
const MAX_NESTING = 32;

function groupsOfSql(count: number): string {
  const ids = Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
  return `WITH RECURSIVE g(user_id, group_id, depth) AS (
      SELECT member_id, group_id, 0 FROM group_members WHERE member_id IN (${ids})
      UNION
      SELECT g.user_id, gm.group_id, g.depth + 1
        FROM group_members gm JOIN g ON gm.member_id = g.group_id
       WHERE g.depth < ${MAX_NESTING}
    )
    SELECT g.user_id, g.group_id AS id, MIN(g.depth) AS depth, gr.display_name AS display
      FROM g JOIN groups gr ON gr.id = g.group_id
     GROUP BY g.user_id, g.group_id, gr.display_name
     ORDER BY g.user_id, gr.display_name, g.group_id`;
}


/** The only TypeORM/SQL code for users. Reads use prepared statements; writes take a TxScope. */
@Injectable()
export class UsersRepository {
  private readonly dialect: SqlDialect;
  /** The filter targets follow the schema (its indexed attributes): one page source per compiled registry. */
  private readonly pageSource: (registry: SchemaRegistry) => PageSource;

  constructor(
    @Inject(SQL_READER) private readonly reader: SqlReader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.dialect = config.database.type;
    this.pageSource = perRegistry((registry) => ({
      reader: this.reader,
      dialect: this.dialect,
      targets: userTargets(this.dialect, indexedAttributeNamesOf(registry)),
      table: 'users u',
      columns: USER_COLUMNS_SQL,
      idExpr: 'u.id',
      defaultSortExpr: 'u.created',
      notNullExprs: new Set(['u.id', 'u.created', 'u.last_modified', 'u.user_name_key']),
      maxFilterCost: config.filterMaxCost,
    }));
  }

  get sqlDialect(): SqlDialect {
    return this.dialect;
  }

  async findById(id: string): Promise<UserRow | null> {
    const rows = await this.reader.all<UserRow>('user_by_id', `SELECT ${USER_COLUMNS_SQL} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Direct and indirect groups of the given users, in one recursive query. */
  async findGroupsOf(userIds: readonly string[]): Promise<UserGroupRow[]> {
    if (userIds.length === 0) return [];
    const name = userIds.length === 1 ? 'user_groups_1' : undefined;
    return this.reader.all<UserGroupRow>(name, groupsOfSql(userIds.length), userIds);
  }

  /** One page of users (RFC 7644 §3.4.2, RFC 9865): filter, sort and paging all in SQL. */
  search(request: PageRequest, registry: SchemaRegistry): Promise<PageResult<UserRow>> {
    return runPage<UserRow>(this.pageSource(registry), request);
  }

  async insert(tx: TxScope, id: string, user: UserWrite, passwordHash: string | null, now: string): Promise<void> {
    await this.exec(tx, `INSERT INTO users
      (id, user_name, user_name_key, external_id, display_name, display_name_key, active, created, last_modified, version, doc, password_hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $9, $10)`, [
      id, user.userName, user.userNameKey, user.externalId, user.displayName, user.displayNameKey,
      user.active, now, user.doc, passwordHash,
    ]);
    await this.writeMultiValues(tx, id, user.multiValues);
  }

  /**
   * Rewrites the filter rows of one user's multi-valued attributes, in multi-row
   * INSERTs of at most MULTI_VALUE_BATCH rows, so that no statement nears SQLite's
   * bound-parameter limit whatever MAX_VALUES_PER_ATTRIBUTE allows.
   */
  private async writeMultiValues(tx: TxScope, id: string, rows: UserWrite['multiValues']): Promise<void> {
    await this.exec(tx, 'DELETE FROM multi_values WHERE resource_id = $1', [id]);
    for (const batch of inBatches(rows, MULTI_VALUE_BATCH)) {
      const values = batch.map((_, i) => `($1, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6}, $${i * 6 + 7})`);
      const params = batch.flatMap((r) => [r.attr, r.idx, r.valueKey, r.typeKey, r.displayKey, r.isPrimary]);
      await this.exec(tx, `INSERT INTO multi_values (resource_id, attr, idx, value_key, type_key, display_key, is_primary)
        VALUES ${values.join(', ')}`, [id, ...params]);
    }
  }

  /** The row, locked against concurrent writers until the transaction ends (PostgreSQL). */
  async findForUpdate(tx: TxScope, id: string): Promise<(UserRow & { password_hash: string | null }) | null> {
    // NO KEY UPDATE: the id never changes, so member adds (KEY SHARE) need not wait for it.
    const lock = this.dialect === 'postgres' ? ' FOR NO KEY UPDATE' : '';
    const rows = await this.exec<UserRow & { password_hash: string | null }>(tx,
      `SELECT ${USER_COLUMNS_SQL}, u.password_hash FROM users u WHERE u.id = $1${lock}`, [id]);
    return rows[0] ?? null;
  }

  async replace(tx: TxScope, id: string, user: UserWrite, passwordHash: string | null, now: string): Promise<void> {
    await this.exec(tx, `UPDATE users SET user_name = $2, user_name_key = $3, external_id = $4, display_name = $5,
      display_name_key = $6, active = $7, doc = $8, password_hash = $9, last_modified = $10, version = version + 1
      WHERE id = $1`, [
      id, user.userName, user.userNameKey, user.externalId, user.displayName, user.displayNameKey,
      user.active, user.doc, passwordHash, now,
    ]);
    await this.writeMultiValues(tx, id, user.multiValues);
  }

  /**
   * Locks the groups the user is a direct member of, in id order, before the user's own
   * row: the lock order of derived-versions.sql.ts (groups before users) for writes that
   * may bump those groups (a changed member display, a delete). No-op on SQLite.
   */
  async lockGroupsOf(tx: TxScope, id: string): Promise<void> {
    if (this.dialect === 'postgres') await this.exec(tx, locked(this.dialect, 'groups', groupsOfMemberSql('$1')), [id]);
  }

  /**
   * The user's `members[].display` (displayName, else userName) changed: its groups get a
   * new version. With `nowait`, a group another transaction holds fails the statement at
   * once (PostgreSQL 55P03, see isLockNotAvailable) instead of waiting while the user's row is held.
   */
  async bumpGroupsOf(tx: TxScope, id: string, now: string, nowait: boolean): Promise<void> {
    await this.exec(tx, bumpSql(this.dialect, 'groups', groupsOfMemberSql('$2'), nowait), [now, id]);
  }

  /**
   * Deletes the user and its memberships; the groups it left get a new version,
   * since their member list changed. False when there was no such user.
   */
  async delete(tx: TxScope, id: string, now: string): Promise<boolean> {
    // The row lock waits for transactions that are adding this user to a group (KEY SHARE).
    const lock = this.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const found = await this.exec(tx, `SELECT id FROM users WHERE id = $1${lock}`, [id]);
    if (found.length === 0) return false;
    await this.exec(tx, bumpSql(this.dialect, 'groups', groupsOfMemberSql('$2')), [now, id]);
    await this.exec(tx, 'DELETE FROM group_members WHERE member_id = $1', [id]);
    await this.exec(tx, 'DELETE FROM multi_values WHERE resource_id = $1', [id]);
    await this.exec(tx, 'DELETE FROM users WHERE id = $1', [id]);
    return true;
  }

  private exec<T extends object = SqlRow>(tx: TxScope, sql: string, params: readonly SqlParam[]): Promise<T[]> {
    return txQuery<T>(tx, this.dialect, sql, params);
  }
}
