import { foldKey } from '../fold-key.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { visitFilter } from '../../scim/filter/filter.visitor.js';
import { escapeLike } from './sql-fragment.js';
const COMPARATORS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
function unsupported(path) {
    return ScimException.invalidFilter(`Filtering on '${path}' is not supported`);
}
function columnValue(column, value, path) {
    if (typeof value === 'string') {
        if (column.kind === 'folded')
            return foldKey(value);
        if (column.kind === 'dateTime')
            return new Date(value).toISOString();
        if (column.kind === 'boolean')
            return value.toLowerCase() === 'true';
        return value;
    }
    if (value === null)
        throw ScimException.invalidFilter(`'${path}' cannot be compared with null here`);
    return value;
}
/**
 * Translates a validated filter into a WHERE fragment over mapped columns. Every
 * leaf is null-safe (never SQL NULL), so `not (…)` negates exactly: an absent
 * attribute fails `eq` and passes `not (… eq …)`.
 */
export class FilterToSql {
    columns;
    binder;
    constructor(columns, binder) {
        this.columns = columns;
        this.binder = binder;
    }
    translate(filter) {
        return visitFilter(filter, this);
    }
    and(node) {
        return `(${this.translate(node.left)} AND ${this.translate(node.right)})`;
    }
    or(node) {
        return `(${this.translate(node.left)} OR ${this.translate(node.right)})`;
    }
    not(node) {
        return `(NOT ${this.translate(node.filter)})`;
    }
    valuePath(node) {
        throw unsupported(`${node.attribute.path}[...]`);
    }
    present(node) {
        const column = this.column(node.attribute.path);
        if (column.presentExpr)
            return `(${column.presentExpr})`;
        return column.kind === 'boolean' || column.kind === 'dateTime'
            ? `(${column.expr} IS NOT NULL)`
            : `(${column.expr} IS NOT NULL AND ${column.expr} <> '')`;
    }
    compare(node) {
        const path = node.attribute.path;
        const column = this.column(path);
        if (node.value === null) {
            return node.op === 'eq' ? `(${column.expr} IS NULL)` : `(${column.expr} IS NOT NULL)`;
        }
        const value = columnValue(column, node.value, path);
        if (column.kind === 'existsEq')
            return this.exists(column, node.op, value, path);
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
    like(column, op, value) {
        const pattern = op === 'co' ? `%${escapeLike(value)}%` : op === 'sw' ? `${escapeLike(value)}%` : `%${escapeLike(value)}`;
        const param = this.binder.bind(pattern);
        // SQLite's LIKE ignores ASCII case; a case-exact column must also match exactly.
        const exactCheck = column.kind === 'exact' && this.binder.sqlDialect === 'sqlite'
            ? ` AND instr(${column.expr}, ${this.binder.bind(value)}) > 0`
            : '';
        return `(${column.expr} IS NOT NULL AND ${column.expr} LIKE ${param} ESCAPE '\\'${exactCheck})`;
    }
    exists(column, op, value, path) {
        if (op !== 'eq' && op !== 'ne')
            throw ScimException.invalidFilter(`Only eq, ne and pr are supported on '${path}'`);
        const param = this.binder.bind(value);
        const sql = column.expr.replace('$value', () => param);
        return op === 'eq' ? `(${sql})` : `(NOT ${sql})`;
    }
    column(path) {
        const column = this.columns.get(path.toLowerCase());
        if (!column)
            throw unsupported(path);
        return column;
    }
}
//# sourceMappingURL=filter-to-sql.js.map