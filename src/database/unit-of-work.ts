import type { WorkContext } from '../common/http/scim-context.js';
import type { SqlDialect } from './dialect/sql-dialect.js';
import type { ResourceScope } from './scope/resource-scope.js';
import type { SqlParam, SqlRow } from './sql-reader.js';
import type { TxScope } from './transaction.service.js';

/** One change a unit of work made, as hooks (audit, change events) see it. */
export interface Mutation {
  readonly operation:
    | 'create'
    | 'replace'
    | 'patch'
    | 'delete'
    | 'restore'
    | 'purge'
    | 'issue'
    | 'revoke'
    | 'rotate'
    | 'expire'
    | 'touch'
    | 'claim';
  /** `User`, `Group`, `Token`, `ServerState`. */
  readonly resourceType: string;
  readonly resourceId: string;
  /** The resource's version after the change, where it has one. */
  readonly version?: number;
  /** What an admin recognises the resource by: userName, displayName, a token's name, a slug, a schema URN. */
  readonly resourceName?: string;
  /**
   * The attribute paths a replace or PATCH wrote (`name.givenName`, `urn:…:User:manager`,
   * `password`), never their values; [] for one that changed nothing (it is recorded all the same).
   */
  readonly changedAttributes?: readonly string[];
  /** The members a group change added and removed. */
  readonly members?: MemberChange;
  /** The directory the change belongs to when it is not the unit's (an admin request on another directory's tokens). */
  readonly directoryId?: number;
}

/** The member ids a group change added and removed (a set difference: each id once). */
export interface MemberChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * One transaction with the request it serves: who (principal), where (directory and its
 * query scope), and what changed so far (records). Repositories write through `tx`;
 * services record each mutation, and the registered hooks run inside the transaction for
 * it, so what a hook writes commits or rolls back with the change.
 */
export interface UnitOfWork {
  readonly context: WorkContext;
  readonly scope: ResourceScope;
  readonly tx: TxScope;
  readonly dialect: SqlDialect;
  /** The mutations recorded in this attempt (a retried attempt starts empty). */
  readonly records: readonly Mutation[];
  record(mutation: Mutation): Promise<void>;
  /** One statement ($n placeholders) in this transaction: rows for SELECT, [] otherwise. */
  query<T extends object = SqlRow>(sql: string, params: readonly SqlParam[]): Promise<T[]>;
}

/** Runs inside the transaction once per recorded mutation; a throw rolls the whole unit back. */
export type UnitOfWorkHook = (uow: UnitOfWork, mutation: Mutation) => Promise<void>;
