import type { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';

export interface Statement {
  readonly sql: string;
  /** Rows returned (SELECT, … RETURNING) or, on PostgreSQL, rows affected; null when the driver does not say. */
  readonly rows: number | null;
  /** Bound parameters ($n on PostgreSQL; the keys of the one named-parameter object on SQLite). */
  readonly params: number;
}

function paramsOf(parameters: unknown): number {
  const list: unknown[] = Array.isArray(parameters) ? parameters : [];
  const [first] = list;
  return list.length === 1 && first !== null && typeof first === 'object' ? Object.keys(first).length : list.length;
}

function rowsOf(raw: unknown): number | null {
  if (Array.isArray(raw)) return raw.length;
  if (raw !== null && typeof raw === 'object' && 'rowCount' in raw) {
    const result = raw as { rowCount: number | null; rows?: unknown[] };
    return Math.max(result.rowCount ?? 0, result.rows?.length ?? 0);
  }
  return null;
}

/**
 * Every statement the app sends through TypeORM (the transactional write path) while `fn` runs,
 * with how many rows each returned or touched, seen through TypeORM's public query events
 * (EntitySubscriberInterface.afterQuery) on the app's own DataSource.
 */
export async function captureWrites<T>(
  db: DataSource,
  fn: () => Promise<T>,
): Promise<{ result: T; statements: Statement[] }> {
  const statements: Statement[] = [];
  const subscriber: EntitySubscriberInterface = {
    afterQuery(event: AfterQueryEvent) {
      statements.push({
        sql: event.query.replace(/\s+/g, ' ').trim(),
        rows: rowsOf(event.rawResults),
        params: paramsOf(event.parameters),
      });
    },
  };
  db.subscribers.push(subscriber);
  try {
    return { result: await fn(), statements };
  } finally {
    db.subscribers.splice(db.subscribers.indexOf(subscriber), 1);
  }
}
