import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { SqlParam } from '../sql-reader.js';

/** A WHERE fragment written with $n placeholders and the values they bind. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/**
 * Collects bound parameters while a statement is built; client input only ever
 * enters SQL through `bind`, never as text.
 */
export class ParamBinder {
  readonly params: SqlParam[] = [];

  constructor(
    private readonly dialect: SqlDialect,
    offset = 0,
  ) {
    for (let i = 0; i < offset; i++) this.params.push(null);
  }

  /** Values stay as the client's types here; SqlDialect.toDriverQuery converts them for the driver. */
  bind(value: SqlParam): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  get sqlDialect(): SqlDialect {
    return this.dialect;
  }
}

/** `items` cut into runs of at most `size`, for statements that must stay below the bound-parameter limits. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Escapes LIKE wildcards so `co`/`sw`/`ew` match the client's text literally (ESCAPE '\'). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `$from, …` for `count` bound parameters. */
export function placeholders(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
}
