import { Inject, Injectable } from '@nestjs/common';
import type { WorkContext } from '../common/http/scim-context.js';
import { SQL_DIALECT, type SqlDialect } from './dialect/sql-dialect.js';
import { ResourceScope } from './scope/resource-scope.js';
import type { SqlParam, SqlRow } from './sql-reader.js';
import { TransactionService, txQuery, type TxScope } from './transaction.service.js';
import type { Mutation, UnitOfWork, UnitOfWorkHook } from './unit-of-work.js';

class TransactionUnit implements UnitOfWork {
  readonly scope: ResourceScope;

  constructor(
    readonly context: WorkContext,
    readonly tx: TxScope,
    readonly dialect: SqlDialect,
    private readonly hooks: readonly UnitOfWorkHook[],
    readonly records: Mutation[] = [],
  ) {
    this.scope = ResourceScope.of(context.directory);
  }

  /**
   * This transaction seen from a joining call's context: its records and hooks are this
   * unit's, but a mutation it records carries the joining call's request facts (a Bulk
   * operation's method, path and status in its audit row).
   */
  joinedAs(context: WorkContext): TransactionUnit {
    return new TransactionUnit(context, this.tx, this.dialect, this.hooks, this.records);
  }

  async record(mutation: Mutation): Promise<void> {
    this.records.push(mutation);
    for (const hook of this.hooks) await hook(this, mutation);
  }

  query<T extends object = SqlRow>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
    return txQuery<T>(this.tx, this.dialect, sql, params);
  }
}

function isUnitOfWork(value: object | undefined): value is TransactionUnit {
  return value instanceof TransactionUnit;
}

/**
 * The one way to change data. `run` opens a transaction (TransactionService: the SQLite
 * writer queue, PostgreSQL retries) unless the context carries an outer unit of work, which
 * it then joins: several operations commit or roll back together, and on SQLite a nested
 * run never queues behind its own outer transaction. A retried attempt builds a fresh unit,
 * so records of a failed attempt are dropped and hooks run again.
 */
@Injectable()
export class UnitOfWorkService {
  private readonly hooks: UnitOfWorkHook[] = [];

  constructor(
    private readonly transactions: TransactionService,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
  ) {}

  run<T>(context: WorkContext, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const outer = context.unitOfWork;
    if (isUnitOfWork(outer)) {
      // A joined unit writes through the outer one's scope: never across directories.
      if (outer.context.directory.id !== context.directory.id)
        throw new Error('a unit of work cannot join one of another directory');
      return work(context.request === outer.context.request ? outer : outer.joinedAs(context));
    }
    return this.transactions.run((tx) => work(new TransactionUnit(context, tx, this.dialect, this.hooks)));
  }

  /** True when `context` joins an outer unit of work (its writes cannot be retried on their own). */
  joins(context: WorkContext): boolean {
    return isUnitOfWork(context.unitOfWork);
  }

  /** Registers a hook that runs inside the transaction for every recorded mutation; returns its removal. */
  addHook(hook: UnitOfWorkHook): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }
}
