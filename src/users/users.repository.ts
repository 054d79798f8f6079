import { Inject, Injectable } from '@nestjs/common';
import { SQL_DIALECT, type SqlDialect } from '../database/dialect/sql-dialect.js';
import { DEFAULT_SCOPE, type ResourceScope } from '../database/scope/resource-scope.js';
import type { PageRequest, PageResult } from '../database/sql/page-query.js';
import { inBatches } from '../database/sql/sql-fragment.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { ResourceServiceFactory } from '../resources/resource-service.factory.js';
import type { ResourceWrite } from '../resources/resource-write.mapper.js';
import type { ResourceRepository } from '../resources/resource.repository.js';
import { USER_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { indexedAttributeNamesOf } from './multi-values.js';
import type { UserRow, UserWrite } from './user.mapper.js';
import { userTargets } from './users.targets.js';

// Rows per multi_values INSERT: 6 parameters each, about 3,000 per statement.
const MULTI_VALUE_BATCH = 500;

type LockedUserRow = UserRow & { password_hash: string | null };

/** The User row's columns its storage descriptor does not derive: the values as sent, and the password hash. */
const EXTRA_COLUMNS = ['user_name', 'display_name', 'password_hash'];

/**
 * The SQL for users: their rows through the generic resource repository (USER_RESOURCE_TYPE's
 * storage, with the multi_values and groups filter targets), plus the multi_values rows;
 * group memberships are the MembershipRepository's. Reads take the query scope and use
 * prepared statements; writes take the unit of work.
 */
@Injectable()
export class UsersRepository {
  private readonly rows: ResourceRepository;

  constructor(
    factory: ResourceServiceFactory,
    @Inject(SQL_DIALECT) dialect: SqlDialect,
    private readonly membership: MembershipRepository,
  ) {
    this.rows = factory.repository(USER_RESOURCE_TYPE, {
      extraColumns: EXTRA_COLUMNS,
      lockedColumns: ['password_hash'],
      notNullColumns: ['user_name_key'],
      targets: (_derived, registry) =>
        userTargets(dialect, DEFAULT_SCOPE, membership.userGroupsTarget(DEFAULT_SCOPE), indexedAttributeNamesOf(registry)),
    });
  }

  findById(scope: ResourceScope, id: string): Promise<UserRow | null> {
    return this.rows.findById(scope, id);
  }

  /** One page of users (RFC 7644 §3.4.2, RFC 9865): filter, sort and paging all in SQL. */
  search(scope: ResourceScope, request: PageRequest, registry: SchemaRegistry): Promise<PageResult<UserRow>> {
    return this.rows.search(scope, request, registry);
  }

  async insert(uow: UnitOfWork, id: string, user: UserWrite, passwordHash: string | null, now: string): Promise<void> {
    await this.rows.insert(uow, id, withExtraColumns(user, passwordHash), now);
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

  /** The row and its password hash, locked against concurrent writers until the transaction ends (PostgreSQL). */
  findForUpdate(uow: UnitOfWork, id: string): Promise<LockedUserRow | null> {
    return this.rows.findForUpdate<LockedUserRow>(uow, id);
  }

  async replace(uow: UnitOfWork, id: string, user: UserWrite, passwordHash: string | null, now: string): Promise<void> {
    await this.rows.replace(uow, id, withExtraColumns(user, passwordHash), now);
    await this.writeMultiValues(uow, id, user.multiValues);
  }

  /**
   * Deletes the user and its memberships; the groups it left get a new version,
   * since their member list changed. False when there was no such user.
   */
  async delete(uow: UnitOfWork, id: string, now: string): Promise<boolean> {
    const s = uow.scope;
    // The row lock waits for transactions that are adding this user to a group (KEY SHARE).
    if (!(await this.rows.lockForDelete(uow, id))) return false;
    await this.membership.bumpGroupsOf(uow, id, now);
    await this.membership.removeEverywhere(uow, id, 'User');
    await uow.query(`${s.deleteFrom('multi_values')} WHERE ${s.where('multi_values')} AND resource_id = $1`, [id]);
    await this.rows.delete(uow, id);
    return true;
  }
}

/** The write with the columns the descriptor does not derive, in EXTRA_COLUMNS order. */
function withExtraColumns(user: UserWrite, passwordHash: string | null): ResourceWrite {
  const values = [user.userName, user.displayName, passwordHash];
  return { doc: user.doc, columns: [...EXTRA_COLUMNS.map((column, i) => ({ column, value: values[i] ?? null })), ...user.columns] };
}
