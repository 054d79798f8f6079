import { foldKey } from '../fold-key.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { toUtcInstant } from '../../scim/filter/date-time.util.js';
import type { CompareNode, CompareValue, PresentNode } from '../../scim/filter/filter.ast.js';
import { visitFilter, type FilterVisitor } from '../../scim/filter/filter.visitor.js';
import type { FilterAnnotation, ValidatedFilter } from '../../scim/filter/validate-filter.js';
import { escapeLike, type ParamBinder } from './sql-fragment.js';

/**
 * How a filterable attribute is stored: `folded` columns hold foldKey() of a
 * case-insensitive value; `exact` columns the value as sent; `dateTime` columns
 * fixed-width UTC ISO strings; `boolean` columns booleans (0/1 on SQLite).
 */
export type ColumnKind = 'folded' | 'exact' | 'dateTime' | 'boolean' | 'existsEq';

/**
 * `existsEq` maps an attribute held in another table (Group `members.value`) to an
 * EXISTS template whose `$value` is replaced by the bound parameter; it supports eq,
 * ne and pr only.
 */
export interface ColumnMapping {
  readonly expr: string;
  readonly kind: ColumnKind;
  /** For `existsEq`: the condition `pr` means (at least one row exists). */
  readonly presentExpr?: string;
}

/** Canonical attribute path (lower-cased) → column. The translator refuses anything not listed. */
export type ColumnMap = ReadonlyMap<string, ColumnMapping>;

const COMPARATORS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function unsupported(path: string): ScimException {
  return ScimException.invalidFilter(`Filtering on '${path}' is not supported`);
}

function columnValue(column: ColumnMapping, value: CompareValue, path: string): string | number | boolean {
  if (typeof value === 'string') {
    if (column.kind === 'folded') return foldKey(value);
    if (column.kind === 'dateTime') {
      const instant = toUtcInstant(value);
      if (!instant) throw ScimException.invalidFilter(`'${path}' needs a dateTime between years 0000 and 9999`);
      return instant;
    }
    if (column.kind === 'boolean') return value.toLowerCase() === 'true';
    return value;
  }
  if (value === null) throw ScimException.invalidFilter(`'${path}' cannot be compared with null here`);
  return value;
}

/**
 * Translates a validated filter into a WHERE fragment over mapped columns. Every
 * leaf is null-safe (never SQL NULL), so `not (…)` negates exactly: an absent
 * attribute fails `eq` and passes `not (… eq …)`.
 */
export class FilterToSql implements FilterVisitor<string, FilterAnnotation> {
  constructor(
    private readonly columns: ColumnMap,
    private readonly binder: ParamBinder,
  ) {}

  translate(filter: ValidatedFilter): string {
    return visitFilter(filter, this);
  }

  and(node: { left: ValidatedFilter; right: ValidatedFilter }): string {
    return `(${this.translate(node.left)} AND ${this.translate(node.right)})`;
  }

  or(node: { left: ValidatedFilter; right: ValidatedFilter }): string {
    return `(${this.translate(node.left)} OR ${this.translate(node.right)})`;
  }

  not(node: { filter: ValidatedFilter }): string {
    return `(NOT ${this.translate(node.filter)})`;
  }

  valuePath(node: { attribute: FilterAnnotation['attribute'] }): string {
    throw unsupported(`${node.attribute.path}[...]`);
  }

  present(node: PresentNode<FilterAnnotation>): string {
    const column = this.column(node.attribute.path);
    if (column.presentExpr) return `(${column.presentExpr})`;
    return column.kind === 'boolean' || column.kind === 'dateTime'
      ? `(${column.expr} IS NOT NULL)`
      : `(${column.expr} IS NOT NULL AND ${column.expr} <> '')`;
  }

  compare(node: CompareNode<FilterAnnotation>): string {
    const path = node.attribute.path;
    const column = this.column(path);
    if (node.value === null) {
      const present = column.presentExpr ?? `${column.expr} IS NOT NULL`;
      return node.op === 'eq' ? `(NOT (${present}))` : `(${present})`;
    }
    const value = columnValue(column, node.value, path);
    if (column.kind === 'existsEq') return this.exists(column, node.op, value, path);
    switch (node.op) {
      case 'co':
      case 'sw':
      case 'ew':
        return this.like(column, node.op, String(value));
      case 'ne':
        return `(${column.expr} IS NULL OR ${column.expr} <> ${this.binder.bind(value)})`;
      default:
        return `(${column.expr} IS NOT NULL AND ${column.expr} ${COMPARATORS[node.op]} ${this.binder.bind(value)})`;
    }
  }

  private like(column: ColumnMapping, op: 'co' | 'sw' | 'ew', value: string): string {
    const pattern = op === 'co' ? `%${escapeLike(value)}%` : op === 'sw' ? `${escapeLike(value)}%` : `%${escapeLike(value)}`;
    const param = this.binder.bind(pattern);
    return `(${column.expr} IS NOT NULL AND ${column.expr} LIKE ${param} ESCAPE '\\'${this.exactCheck(column, op, value)})`;
  }

  /** SQLite's LIKE ignores ASCII case, so a case-exact column is also compared exactly. */
  private exactCheck(column: ColumnMapping, op: 'co' | 'sw' | 'ew', value: string): string {
    if (column.kind !== 'exact' || this.binder.sqlDialect !== 'sqlite') return '';
    const v = this.binder.bind(value);
    switch (op) {
      case 'co':
        return ` AND instr(${column.expr}, ${v}) > 0`;
      case 'sw':
        return ` AND substr(${column.expr}, 1, length(${v})) = ${v}`;
      case 'ew':
        return ` AND substr(${column.expr}, -length(${v})) = ${v}`;
    }
  }

  private exists(column: ColumnMapping, op: string, value: string | number | boolean, path: string): string {
    if (op !== 'eq' && op !== 'ne') throw ScimException.invalidFilter(`Only eq, ne and pr are supported on '${path}'`);
    const param = this.binder.bind(value);
    const sql = column.expr.replace('$value', () => param);
    return op === 'eq' ? `(${sql})` : `(NOT ${sql})`;
  }

  private column(path: string): ColumnMapping {
    const column = this.columns.get(path.toLowerCase());
    if (!column) throw unsupported(path);
    return column;
  }
}
