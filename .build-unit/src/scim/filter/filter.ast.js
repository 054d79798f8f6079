export const COMPARE_OPERATORS = [
    'eq',
    'ne',
    'co',
    'sw',
    'ew',
    'gt',
    'ge',
    'lt',
    'le',
];
export function assertNever(value) {
    throw new TypeError(`Unexpected filter node: ${JSON.stringify(value)}`);
}
/** Builds an AttrPath; absent parts stay absent keys so trees compare with deepStrictEqual. */
export function attrPath(name, subAttr, schemaUri) {
    return {
        ...(schemaUri !== undefined ? { schemaUri } : {}),
        name,
        ...(subAttr !== undefined ? { subAttr } : {}),
    };
}
/** Builders below take `userName` or `name.givenName` for convenience; URN paths need attrPath(). */
function toPath(path) {
    if (typeof path !== 'string')
        return path;
    const dot = path.indexOf('.');
    return dot < 0 ? attrPath(path) : attrPath(path.slice(0, dot), path.slice(dot + 1));
}
export function compare(op, path, value) {
    return { kind: 'compare', op, path: toPath(path), value };
}
export function eq(path, value) {
    return compare('eq', path, value);
}
export function present(path) {
    return { kind: 'present', path: toPath(path) };
}
export function and(left, right, ...more) {
    return more.reduce((acc, next) => ({ kind: 'and', left: acc, right: next }), {
        kind: 'and',
        left,
        right,
    });
}
export function or(left, right, ...more) {
    return more.reduce((acc, next) => ({ kind: 'or', left: acc, right: next }), {
        kind: 'or',
        left,
        right,
    });
}
export function not(filter) {
    return { kind: 'not', filter };
}
export function valuePath(path, filter) {
    return { kind: 'valuePath', path: toPath(path), filter };
}
//# sourceMappingURL=filter.ast.js.map