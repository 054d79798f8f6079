export type { JsonSql } from '../dialect/sql-dialect.js';

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
