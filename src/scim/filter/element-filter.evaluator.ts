import { ScimException } from '../errors/scim.exception.js';
import { assertNever, type CompareNode, type CompareValue, type PresentNode } from './filter.ast.js';
import { visitFilter, type FilterVisitor } from './filter.visitor.js';
import type { FilterAnnotation, ValidatedFilter } from './validate-filter.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject, type ScimObject } from '../resource/scim-resource.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { foldKey } from '../resource/fold-key.js';

/**
 * Evaluates the bracket filter of a value path (RFC 7644 §3.4.2.2 valFilter, validated in element
 * scope) against one element of a multi-valued complex attribute. Matches the SQL translator on
 * absent values: `eq`, `co`, `gt`… fail and `ne` holds, so `not (…)` negates exactly.
 */
class ElementFilterEvaluator implements FilterVisitor<boolean, FilterAnnotation> {
  constructor(private readonly element: ScimObject) {}

  compare(node: CompareNode<FilterAnnotation>): boolean {
    const def = definitionOf(node.attribute);
    const actual = this.element[def.name];
    if (node.value === null) return node.op === 'eq' ? isUnassigned(actual) : !isUnassigned(actual);
    if (isUnassigned(actual)) return node.op === 'ne';
    return compareValues(node.op, actual, node.value, def);
  }

  present(node: PresentNode<FilterAnnotation>): boolean {
    // §3.4.2.2 "pr": a non-empty value.
    const actual = this.element[definitionOf(node.attribute).name];
    return !isUnassigned(actual) && actual !== '';
  }

  and(node: { left: ValidatedFilter; right: ValidatedFilter }): boolean {
    return visitFilter(node.left, this) && visitFilter(node.right, this);
  }

  or(node: { left: ValidatedFilter; right: ValidatedFilter }): boolean {
    return visitFilter(node.left, this) || visitFilter(node.right, this);
  }

  not(node: { filter: ValidatedFilter }): boolean {
    return !visitFilter(node.filter, this);
  }

  valuePath(): boolean {
    // validateFilter rejects nested value paths; reaching here means a caller skipped validation.
    throw ScimException.invalidFilter('Value paths cannot be nested');
  }
}

function definitionOf(attribute: FilterAnnotation['attribute']): AttributeDefinition {
  return attribute.subAttribute ?? attribute.attribute;
}

/** Values in the attribute's JSON type, as validateFilter coerced them. */
function compareValues(
  op: CompareNode['op'],
  actual: unknown,
  expected: Exclude<CompareValue, null>,
  def: AttributeDefinition,
): boolean {
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (def.type === 'dateTime') return ordered(op, Date.parse(actual), Date.parse(expected));
    // The same key as the SQL side (fold-key.ts), so a PATCH value path selects what a filter finds.
    const fold = !def.caseExact;
    const a = fold ? foldKey(actual) : actual;
    const e = fold ? foldKey(expected) : expected;
    switch (op) {
      case 'co':
        return a.includes(e);
      case 'sw':
        return a.startsWith(e);
      case 'ew':
        return a.endsWith(e);
      default:
        return ordered(op, a, e);
    }
  }
  if (typeof expected === 'number' && typeof actual === 'number') return ordered(op, actual, expected);
  if (typeof expected === 'boolean' && typeof actual === 'boolean') return ordered(op, actual, expected);
  // A stored value of another type than the schema's (never written by this server) matches nothing.
  return op === 'ne';
}

function ordered<T extends string | number | boolean>(op: CompareNode['op'], a: T, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'co':
    case 'sw':
    case 'ew':
      // validateFilter allows these on textual attributes only, handled above.
      return false;
  }
}

/** Whether `element` satisfies a validated element-scope filter. */
export function matchesElement(filter: ValidatedFilter, element: unknown): boolean {
  return isPlainObject(element) && visitFilter(filter, new ElementFilterEvaluator(element));
}

/**
 * The sub-attribute values a filter made only of `eq` comparisons joined by `and` pins down
 * (`type eq "work" and primary eq true` → {type: "work", primary: true}), or undefined for any
 * other filter: those are the values an element created for an unmatched value path must carry.
 */
export function equalityConjunction(filter: ValidatedFilter): ScimObject | undefined {
  switch (filter.kind) {
    case 'compare':
      return filter.op === 'eq' && filter.value !== null
        ? { [definitionOf(filter.attribute).name]: filter.value }
        : undefined;
    case 'and': {
      const left = equalityConjunction(filter.left);
      const right = equalityConjunction(filter.right);
      if (!left || !right) return undefined;
      const clash = Object.keys(right).some((k) => k in left && left[k] !== right[k]);
      return clash ? undefined : { ...left, ...right };
    }
    case 'present':
    case 'or':
    case 'not':
    case 'valuePath':
      return undefined;
    default:
      return assertNever(filter);
  }
}

/** The canonical names of the sub-attributes a validated element-scope filter reads. */
export function filterSubAttributes(filter: ValidatedFilter): Set<string> {
  switch (filter.kind) {
    case 'compare':
    case 'present':
    case 'valuePath':
      return new Set([definitionOf(filter.attribute).name]);
    case 'and':
    case 'or':
      return new Set([...filterSubAttributes(filter.left), ...filterSubAttributes(filter.right)]);
    case 'not':
      return filterSubAttributes(filter.filter);
    default:
      return assertNever(filter);
  }
}
