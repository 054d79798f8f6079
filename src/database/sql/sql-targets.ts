import type { SqlDialect } from './sql-fragment.js';

/**
 * How a value compares in SQL: `folded` expressions are keys the application folded
 * with foldKey() (the bound value is folded the same way, in the application);
 * `sqlFolded` expressions are folded by the database's scim_fold() (the bound value
 * too, in SQL, so both sides agree even where PostgreSQL's case mapping differs from
 * JavaScript's); `exact` compares as sent; `dateTime` holds fixed-width UTC ISO text.
 */
export type ValueKind = 'folded' | 'sqlFolded' | 'exact' | 'dateTime' | 'boolean' | 'number';

/**
 * What evaluating a term costs, for the filter budget: `index` is served by an index
 * (equality, ranges, prefixes), `row` is a cheap test on each row of a scan, `document`
 * reads the JSON document of each row.
 */
export type ScalarScan = 'index' | 'row' | 'document';

/** One comparable SQL expression, with what `pr` means for it. */
export interface ScalarTarget {
  readonly kind: 'scalar';
  readonly expr: string;
  readonly valueKind: ValueKind;
  /** `pr`; defaults to "not null and not empty text". */
  readonly presentExpr?: string;
  /** Defaults to `row`. */
  readonly scan?: ScalarScan;
}

/**
 * What one term on a multi-valued attribute costs: `index`, one pass over an element
 * table unless its `value` is compared for equality (an index probe); `document`, the
 * JSON array of each row; `closure`, the nested-groups closure, built once per term.
 */
export type ElementScan = 'index' | 'document' | 'closure';

/**
 * The elements of a multi-valued attribute. All parts of a value path are evaluated on
 * the same element (RFC 7644 §3.4.2.2). `owners` is the set-based form used by filters:
 * `<owner id> IN (SELECT … WHERE <condition>)`, uncorrelated, so the database evaluates it
 * once per query rather than once per row. `from`/`correlation` is the per-row form
 * (EXISTS (SELECT 1 FROM <from> WHERE <correlation> AND <condition>)), for sorting and
 * for JSON arrays, which live in the row itself.
 */
export interface ElementTarget {
  readonly kind: 'elements';
  readonly from: string;
  readonly correlation: string;
  readonly owners?: (condition: string) => string;
  /**
   * Common table expressions `owners` refers to, put once at the head of the statement
   * (WITH RECURSIVE …), so that several terms share one evaluation.
   */
  readonly prelude?: string;
  readonly scan: ElementScan;
  /** The element's sub-attribute (or, for multi-valued simple attributes, '' for the element). */
  sub(name: string): ScalarTarget | undefined;
}

export type SqlTarget = ScalarTarget | ElementTarget;

export function scalar(expr: string, valueKind: ValueKind, presentExpr?: string, scan?: ScalarScan): ScalarTarget {
  return { kind: 'scalar', expr, valueKind, ...(presentExpr ? { presentExpr } : {}), ...(scan ? { scan } : {}) };
}

/** The same target, costed as a read of each row's JSON document. */
export function inDocument(target: ScalarTarget): ScalarTarget {
  return { ...target, scan: 'document' };
}

// Attribute names come from the schema registry, never from the client; checked anyway.
const SAFE_KEY = /^[A-Za-z0-9:._$-]+$/;

function literal(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`unsafe JSON key ${key}`);
  return `'${key}'`;
}

/** SQLite JSON path literal, every label quoted (URNs contain ':' and '.'). */
function sqlitePath(path: readonly string[]): string {
  for (const key of path) if (!SAFE_KEY.test(key)) throw new Error(`unsafe JSON key ${key}`);
  return `'$${path.map((k) => `."${k}"`).join('')}'`;
}

/** Dialect-specific JSON access to the `doc` column and to array elements. */
export class JsonSql {
  constructor(readonly dialect: SqlDialect) {}

  /** The text (or, on SQLite, the scalar) at `path` in a JSON document expression. */
  text(doc: string, path: readonly string[]): string {
    if (this.dialect === 'sqlite') return `json_extract(${doc}, ${sqlitePath(path)})`;
    return `jsonb_extract_path_text(${this.jsonb(doc)}, ${path.map(literal).join(', ')})`;
  }

  /** Is there a non-null JSON value at `path` (for `pr` on complex attributes)? */
  present(doc: string, path: readonly string[]): string {
    if (this.dialect === 'sqlite') {
      const type = `json_type(${doc}, ${sqlitePath(path)})`;
      return `(${type} IS NOT NULL AND ${type} <> 'null')`;
    }
    return `(jsonb_typeof(jsonb_extract_path(${this.jsonb(doc)}, ${path.map(literal).join(', ')})) IS DISTINCT FROM 'null' AND jsonb_extract_path(${this.jsonb(doc)}, ${path.map(literal).join(', ')}) IS NOT NULL)`;
  }

  /** FROM clause over the elements of the array at `path`; the alias exposes `elementText(alias, sub)`. */
  elements(doc: string, path: readonly string[], alias: string): string {
    if (this.dialect === 'sqlite') return `json_each(${doc}, ${sqlitePath(path)}) ${alias}`;
    const value = `jsonb_extract_path(${this.jsonb(doc)}, ${path.map(literal).join(', ')})`;
    return `jsonb_array_elements(CASE WHEN jsonb_typeof(${value}) = 'array' THEN ${value} ELSE '[]'::jsonb END) AS ${alias}(elem)`;
  }

  /** The text of an element's sub-attribute, or of the element itself when `sub` is ''. */
  elementText(alias: string, sub: string): string {
    if (this.dialect === 'sqlite') {
      return sub === '' ? `${alias}.value` : `json_extract(${alias}.value, ${sqlitePath([sub])})`;
    }
    return sub === '' ? `(${alias}.elem #>> '{}')` : `(${alias}.elem ->> ${literal(sub)})`;
  }

  /** Casts JSON text to a boolean or number where the dialect needs it (SQLite's json_extract is typed). */
  typed(expr: string, kind: 'boolean' | 'number'): string {
    if (this.dialect === 'sqlite') return expr;
    return kind === 'boolean' ? `(${expr})::boolean` : `(${expr})::numeric`;
  }

  private jsonb(doc: string): string {
    return `${doc}::jsonb`;
  }
}
