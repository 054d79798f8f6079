import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ScimException } from '../scim/errors/scim.exception.js';
import { SQL_DIALECT, type DialectName, type SqlDialect } from './dialect/sql-dialect.js';
import { driverErrorCode } from './driver-error.js';
import { toDriverQuery, type SqlParam, type SqlRow } from './sql-reader.js';

/** The handle a repository receives to take part in the caller's transaction. */
export type TxScope = EntityManager;

const RETRYABLE_PG_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

function isRetryable(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code !== undefined && RETRYABLE_PG_CODES.has(code);
}

/**
 * Runs one transaction (UnitOfWorkService builds units of work on it). SQLite allows one writer and TypeORM's
 * better-sqlite3 driver shares one connection, so write transactions are queued
 * in-process (one server process per SQLite file). PostgreSQL transactions run
 * concurrently and are retried on serialization failure or deadlock.
 */
@Injectable()
export class TransactionService {
  private readonly logger = new Logger(TransactionService.name);
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SQL_DIALECT) private readonly dialect: SqlDialect,
  ) {}

  run<T>(work: (tx: TxScope) => Promise<T>): Promise<T> {
    return this.dialect.singleWriter ? this.serialised(work) : this.withRetry(work);
  }

  private serialised<T>(work: (tx: TxScope) => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async withRetry<T>(work: (tx: TxScope) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          this.logger.warn(`transaction gave up after ${attempt} conflicting attempts`);
          throw ScimException.serviceUnavailable('The resource is busy; retry the request');
        }
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }
}

/** True when a write failed on a UNIQUE index (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs one statement ($n placeholders) inside a transaction; rows for SELECT, [] otherwise. */
export async function txQuery<T extends object = SqlRow>(
  tx: TxScope,
  dialect: SqlDialect | DialectName,
  sql: string,
  params: readonly SqlParam[],
): Promise<T[]> {
  const [text, bound] = toDriverQuery(dialect, sql, params);
  const result: unknown = await tx.query(text, bound);
  // TypeORM answers UPDATE/DELETE on PostgreSQL with [rows, affected] (rows only with RETURNING).
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return Array.isArray(result) ? (result as T[]) : [];
}
