import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { registerSqliteFunctions } from './sqlite-functions.js';

/** One read job from the pool: SQL in better-sqlite3's spelling and its bound arguments. */
export interface ReadJob {
  readonly id: number;
  readonly sql: string;
  readonly args: unknown[];
}

export type ReadOutcome =
  | { readonly id: number; readonly rows: unknown[] }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

const STATEMENT_CACHE_SIZE = 500;

/*
 * A read-only connection of its own on a worker thread, so a long scan blocks this thread
 * and never the event loop that answers HTTP. The same SQL functions as every connection.
 */
const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
registerSqliteFunctions(db);
const statements = new Map<string, Database.Statement>();

parentPort?.on('message', (job: ReadJob) => {
  let outcome: ReadOutcome;
  try {
    let statement = statements.get(job.sql);
    if (!statement) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      statement = db.prepare(job.sql);
      statements.set(job.sql, statement);
    }
    outcome = { id: job.id, rows: statement.all(...job.args) };
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    outcome = { id: job.id, error: { message: String(message), ...(typeof code === 'string' ? { code } : {}) } };
  }
  parentPort?.postMessage(outcome);
});
