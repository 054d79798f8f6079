import { ScimException } from '../../scim/errors/scim.exception.js';
import { toUtcInstant } from '../../scim/filter/date-time.util.js';
import type {
  AndNode,
  CompareNode,
  CompareValue,
  NotNode,
  OrNode,
  PresentNode,
  ValuePathNode,
} from '../../scim/filter/filter.ast.js';
import { visitFilter, type FilterVisitor } from '../../scim/filter/filter.visitor.js';
import type { FilterAnnotation, ValidatedFilter } from '../../scim/filter/validate-filter.js';
import type { ResolvedAttribute } from '../../scim/schema/schema-registry.js';
import { foldKey } from '../../scim/resource/fold-key.js';
import type { TargetResolver } from './doc-targets.js';
import { escapeLike, type ParamBinder } from './sql-fragment.js';
import type { ElementTarget, ScalarTarget } from './sql-targets.js';

const COMPARATORS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * Relative cost of one term, by what it makes the database read (README: FILTER_MAX_COST):
 * an index probe; a cheap test on each row of the scan; the JSON document of each row
 * (parsed, and folded through scim_fold, per row and term); one pass over an element table
 * (a substring or presence test on emails, say) or over each row's JSON array; the
 * nested-groups closure, which joins every user membership with the group graph, and each
 * further term on it (a pass over every user's groups). Measured by bench/filter-stall.js:
 * per term, the closure costs about ten times a document test.
 */
export const FILTER_TERM_COST = {
  probe: 1,
  row: 2,
  document: 20,
  elements: 20,
  closure: 200,
  closureAgain: 50,
} as const;

/**
 * What a sort key adds to the same budget: a document value or the first element of a
 * multi-valued attribute is read per row; sorting by `groups` walks each row's nested
 * groups one row at a time (it cannot share one closure), so it costs the most.
 */
export const SORT_KEY_COST = { document: 20, elements: 20, closure: 500 } as const;

/** The SORT_KEY_COST of sorting by an attribute stored in `target`; 0 for a column. */
export function sortKeyCost(target: ScalarTarget | ElementTarget): number {
  if (target.kind === 'elements') return target.scan === 'closure' ? SORT_KEY_COST.closure : SORT_KEY_COST.elements;
  return target.scan === 'document' ? SORT_KEY_COST.document : 0;
}

const PROBES: ReadonlySet<CompareNode['op']> = new Set(['eq', 'gt', 'ge', 'lt', 'le', 'sw']);

function scalarCost(target: ScalarTarget, op: CompareNode['op'] | 'pr', value: CompareValue): number {
  const scan = target.scan ?? 'row';
  if (scan === 'document') return FILTER_TERM_COST.document;
  return scan === 'index' && op !== 'pr' && PROBES.has(op) && value !== null
    ? FILTER_TERM_COST.probe
    : FILTER_TERM_COST.row;
}

/** An element term is an index probe when it compares the element's `value` for equality (alone or ANDed). */
function probesValue(node: ValidatedFilter): boolean {
  if (node.kind === 'and') return probesValue(node.left) || probesValue(node.right);
  return (
    node.kind === 'compare' && node.op === 'eq' && node.value !== null && node.attribute.subAttribute?.name === 'value'
  );
}

/** A closure already built for an earlier term of the same filter costs a pass over it. */
function elementCost(target: ElementTarget, probe: boolean, built: boolean): number {
  if (target.scan === 'closure') return built ? FILTER_TERM_COST.closureAgain : FILTER_TERM_COST.closure;
  if (target.scan === 'document') return FILTER_TERM_COST.elements;
  return probe ? FILTER_TERM_COST.probe : FILTER_TERM_COST.elements;
}

type Node<K> = K & FilterAnnotation;

function unsupported(path: string): ScimException {
  return ScimException.invalidFilter(`Filtering on '${path}' is not supported`);
}

function boundValue(target: ScalarTarget, value: Exclude<CompareValue, null>, path: string): string | number | boolean {
  if (typeof value !== 'string') return value;
  switch (target.valueKind) {
    case 'folded':
      return foldKey(value);
    case 'dateTime': {
      const instant = toUtcInstant(value);
      if (!instant) throw ScimException.invalidFilter(`'${path}' needs a dateTime between years 0000 and 9999`);
      return instant;
    }
    case 'boolean':
      return value.toLowerCase() === 'true';
    default:
      return value;
  }
}

/**
 * Translates a validated filter into a WHERE fragment with bound parameters only.
 * Where each attribute lives (a column, an index table, the JSON document) is the
 * TargetResolver's business. Every leaf is null-safe (never SQL NULL), so `not (…)`
 * negates exactly: an absent attribute fails `eq` and passes `not (… eq …)`. A
 * multi-valued attribute matches when any element does; a value path needs one
 * element to satisfy the whole bracketed filter (RFC 7644 §3.4.2.2).
 */
export class FilterToSql implements FilterVisitor<string, FilterAnnotation> {
  private element: ElementTarget | undefined;
  private total = 0;
  private scans = false;
  private readonly ctes = new Set<string>();

  /** The WITH clause the translated condition needs ('' when none), to head the statement. */
  get withClause(): string {
    return this.ctes.size === 0 ? '' : `WITH RECURSIVE ${[...this.ctes].join(', ')} `;
  }

  /** The summed FILTER_TERM_COST of what was translated so far. */
  get cost(): number {
    return this.total;
  }

  /** True when every term translated so far is an index probe (no term makes the database scan). */
  get probesOnly(): boolean {
    return !this.scans;
  }

  private built(target: ElementTarget): boolean {
    return target.prelude !== undefined && this.ctes.has(target.prelude);
  }

  private charge(cost: number): void {
    this.total += cost;
    if (cost !== FILTER_TERM_COST.probe) this.scans = true;
  }

  constructor(
    private readonly targets: TargetResolver,
    private readonly binder: ParamBinder,
  ) {}

  translate(filter: ValidatedFilter): string {
    return visitFilter(filter, this);
  }

  /** A filter over the sub-attributes of one element (a PATCH `members[…]` path), as a condition on it. */
  translateWithin(element: ElementTarget, filter: ValidatedFilter): string {
    this.element = element;
    try {
      return this.translate(filter);
    } finally {
      this.element = undefined;
    }
  }

  and(node: AndNode<FilterAnnotation>): string {
    return `(${this.translate(node.left)} AND ${this.translate(node.right)})`;
  }

  or(node: OrNode<FilterAnnotation>): string {
    return `(${this.translate(node.left)} OR ${this.translate(node.right)})`;
  }

  not(node: NotNode<FilterAnnotation>): string {
    return `(NOT ${this.translate(node.filter)})`;
  }

  valuePath(node: Node<ValuePathNode<FilterAnnotation>>): string {
    const target = this.targets(node.attribute);
    if (target.kind !== 'elements') throw unsupported(`${node.attribute.path}[…]`);
    this.element = target;
    try {
      this.charge(elementCost(target, probesValue(node.filter), this.built(target)));
      return this.exists(target, this.translate(node.filter));
    } finally {
      this.element = undefined;
    }
  }

  present(node: Node<PresentNode<FilterAnnotation>>): string {
    return this.leaf(node, (t) => t.presentExpr ?? `(${t.expr} IS NOT NULL AND ${t.expr} <> '')`);
  }

  compare(node: Node<CompareNode<FilterAnnotation>>): string {
    const path = node.attribute.path;
    return this.leaf(node, (target) => this.condition(target, node.op, node.value, path));
  }

  /**
   * Inside a value path the attribute is a sub-attribute of the current element (its cost
   * is the value path's); at the root a multi-valued attribute becomes a test over its
   * elements, a singular one a scalar.
   */
  private leaf(
    node: Node<CompareNode<FilterAnnotation>> | Node<PresentNode<FilterAnnotation>>,
    build: (t: ScalarTarget) => string,
  ): string {
    const attribute = node.attribute;
    if (this.element) return build(this.sub(this.element, attribute));
    const target = this.targets(attribute);
    const op = node.kind === 'compare' ? node.op : 'pr';
    const value = node.kind === 'compare' ? node.value : null;
    if (target.kind === 'scalar') {
      this.charge(scalarCost(target, op, value));
      return build(target);
    }
    this.charge(elementCost(target, node.kind === 'compare' && probesValue(node), this.built(target)));
    if (node.kind === 'present' && !attribute.subAttribute) return this.exists(target, '1 = 1');
    return this.exists(target, build(this.sub(target, attribute)));
  }

  private sub(target: ElementTarget, attribute: ResolvedAttribute): ScalarTarget {
    const found = target.sub(attribute.subAttribute?.name ?? '');
    if (!found) throw unsupported(attribute.path);
    return found;
  }

  /** Set-based where the target allows it: an uncorrelated subquery is evaluated once, not per row. */
  private exists(target: ElementTarget, condition: string): string {
    if (target.prelude) this.ctes.add(target.prelude);
    if (target.owners) return target.owners(condition);
    return `EXISTS (SELECT 1 FROM ${target.from} WHERE ${target.correlation} AND ${condition})`;
  }

  private condition(target: ScalarTarget, op: CompareNode['op'], value: CompareValue, path: string): string {
    const expr = target.expr;
    if (value === null) {
      const present = target.presentExpr ?? `${expr} IS NOT NULL`;
      return op === 'eq' ? `(NOT (${present}))` : `(${present})`;
    }
    const bound = boundValue(target, value, path);
    switch (op) {
      case 'co':
      case 'sw':
      case 'ew':
        return this.like(target, op, String(bound));
      case 'ne':
        return `(${expr} IS NULL OR ${expr} <> ${this.param(target, bound)})`;
      default:
        return `(${expr} IS NOT NULL AND ${expr} ${COMPARATORS[op]} ${this.param(target, bound)})`;
    }
  }

  private like(target: ScalarTarget, op: 'co' | 'sw' | 'ew', value: string): string {
    const pattern =
      op === 'co' ? `%${escapeLike(value)}%` : op === 'sw' ? `${escapeLike(value)}%` : `%${escapeLike(value)}`;
    const param = this.param(target, pattern);
    return `(${target.expr} IS NOT NULL AND ${target.expr} LIKE ${param} ESCAPE '\\'${this.exactCheck(target, op, value)})`;
  }

  /** A bound value, folded in SQL when the target is folded in SQL. */
  private param(target: ScalarTarget, value: string | number | boolean): string {
    const placeholder = this.binder.bind(value);
    return target.valueKind === 'sqlFolded' ? `scim_fold(${placeholder})` : placeholder;
  }

  /** SQLite's LIKE ignores ASCII case, so a case-exact target is also compared exactly. */
  private exactCheck(target: ScalarTarget, op: 'co' | 'sw' | 'ew', value: string): string {
    if (target.valueKind !== 'exact' || !this.binder.sqlDialect.likeIgnoresCase) return '';
    const v = this.binder.bind(value);
    switch (op) {
      case 'co':
        return ` AND instr(${target.expr}, ${v}) > 0`;
      case 'sw':
        return ` AND substr(${target.expr}, 1, length(${v})) = ${v}`;
      case 'ew':
        return ` AND substr(${target.expr}, -length(${v})) = ${v}`;
    }
  }
}
