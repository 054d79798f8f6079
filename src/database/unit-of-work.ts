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
