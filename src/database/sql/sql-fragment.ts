import type { SqlParam } from '../sql-reader.js';

export type SqlDialect = 'sqlite' | 'postgres';

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

  constructor(private readonly dialect: SqlDialect, offset = 0) {
    for (let i = 0; i < offset; i++) this.params.push(null);
  }

  bind(value: SqlParam | boolean): string {
    const bound = typeof value === 'boolean' && this.dialect === 'sqlite' ? (value ? 1 : 0) : value;
    this.params.push(bound as SqlParam);
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
