import { ScimException } from '../errors/scim.exception.js';
import { assertNever } from '../filter/filter.ast.js';
import { visitFilter } from '../filter/filter.visitor.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject } from '../resource/scim-resource.js';
/**
 * Evaluates the bracket filter of a value path (RFC 7644 §3.4.2.2 valFilter, validated in element
 * scope) against one element of a multi-valued complex attribute. Matches the SQL translator on
 * absent values: `eq`, `co`, `gt`… fail and `ne` holds, so `not (…)` negates exactly.
 */
class ElementFilterEvaluator {
    element;
    constructor(element) {
        this.element = element;
    }
    compare(node) {
        const def = definitionOf(node.attribute);
        const actual = this.element[def.name];
        if (node.value === null)
            return node.op === 'eq' ? isUnassigned(actual) : !isUnassigned(actual);
        if (isUnassigned(actual))
            return node.op === 'ne';
        return compareValues(node.op, actual, node.value, def);
    }
    present(node) {
        // §3.4.2.2 "pr": a non-empty value.
        const actual = this.element[definitionOf(node.attribute).name];
        return !isUnassigned(actual) && actual !== '';
    }
    and(node) {
        return visitFilter(node.left, this) && visitFilter(node.right, this);
    }
    or(node) {
        return visitFilter(node.left, this) || visitFilter(node.right, this);
    }
    not(node) {
        return !visitFilter(node.filter, this);
    }
    valuePath() {
        // validateFilter rejects nested value paths; reaching here means a caller skipped validation.
        throw ScimException.invalidFilter('Value paths cannot be nested');
    }
}
function definitionOf(attribute) {
    return attribute.subAttribute ?? attribute.attribute;
}
/** Values in the attribute's JSON type, as validateFilter coerced them. */
function compareValues(op, actual, expected, def) {
    if (typeof expected === 'string' && typeof actual === 'string') {
        if (def.type === 'dateTime')
            return ordered(op, Date.parse(actual), Date.parse(expected));
        const fold = !def.caseExact;
        const a = fold ? actual.toLowerCase() : actual;
        const e = fold ? expected.toLowerCase() : expected;
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
    if (typeof expected === 'number' && typeof actual === 'number')
        return ordered(op, actual, expected);
    if (typeof expected === 'boolean' && typeof actual === 'boolean')
        return ordered(op, actual, expected);
    // A stored value of another type than the schema's (never written by this server) matches nothing.
    return op === 'ne';
}
function ordered(op, a, b) {
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
export function matchesElement(filter, element) {
    return isPlainObject(element) && visitFilter(filter, new ElementFilterEvaluator(element));
}
/**
 * The sub-attribute values a filter made only of `eq` comparisons joined by `and` pins down
 * (`type eq "work" and primary eq true` → {type: "work", primary: true}), or undefined for any
 * other filter: those are the values an element created for an unmatched value path must carry.
 */
export function equalityConjunction(filter) {
    switch (filter.kind) {
        case 'compare':
            return filter.op === 'eq' && filter.value !== null
                ? { [definitionOf(filter.attribute).name]: filter.value }
                : undefined;
        case 'and': {
            const left = equalityConjunction(filter.left);
            const right = equalityConjunction(filter.right);
            if (!left || !right)
                return undefined;
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
export function filterSubAttributes(filter) {
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
//# sourceMappingURL=element-filter.evaluator.js.map