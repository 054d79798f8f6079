import { visitFilter } from './filter.visitor.js';
/** Binding strength, RFC 7644 §3.4.2.2: "not" and single expressions > "and" > "or". */
const PRECEDENCE = {
    or: 1,
    and: 2,
    not: 3,
    compare: 3,
    present: 3,
    valuePath: 3,
};
/** `urn:…:User:name.givenName` as a client would write it. */
export function formatAttrPath(path) {
    const prefix = path.schemaUri !== undefined ? `${path.schemaUri}:` : '';
    const suffix = path.subAttr !== undefined ? `.${path.subAttr}` : '';
    return `${prefix}${path.name}${suffix}`;
}
/** Canonical filter text: lower-case operators, JSON literals, and only the parentheses needed. */
export function stringifyFilter(node) {
    return visitFilter(node, STRINGIFY);
}
const STRINGIFY = {
    compare: (node) => `${formatAttrPath(node.path)} ${node.op} ${formatValue(node.value)}`,
    present: (node) => `${formatAttrPath(node.path)} pr`,
    and: (node) => `${operand(node.left, 2, false)} and ${operand(node.right, 2, true)}`,
    or: (node) => `${operand(node.left, 1, false)} or ${operand(node.right, 1, true)}`,
    not: (node) => `not (${stringifyFilter(node.filter)})`,
    valuePath: (node) => `${formatAttrPath(node.path)}[${stringifyFilter(node.filter)}]`,
};
/**
 * The parser groups equal operators to the left, so a right operand of the same precedence
 * (`a or (b or c)`) needs parentheses to come back as the same tree.
 */
function operand(node, parent, isRight) {
    const text = stringifyFilter(node);
    const own = PRECEDENCE[node.kind];
    return own < parent || (isRight && own === parent) ? `(${text})` : text;
}
function formatValue(value) {
    // JSON.stringify(-0) is "0"; keep the sign so the value survives a round trip.
    if (typeof value === 'number' && Object.is(value, -0))
        return '-0';
    return JSON.stringify(value);
}
//# sourceMappingURL=filter.stringify.js.map