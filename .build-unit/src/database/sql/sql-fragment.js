/**
 * Collects bound parameters while a statement is built; client input only ever
 * enters SQL through `bind`, never as text.
 */
export class ParamBinder {
    dialect;
    params = [];
    constructor(dialect, offset = 0) {
        this.dialect = dialect;
        for (let i = 0; i < offset; i++)
            this.params.push(null);
    }
    bind(value) {
        const bound = typeof value === 'boolean' && this.dialect === 'sqlite' ? (value ? 1 : 0) : value;
        this.params.push(bound);
        return `$${this.params.length}`;
    }
    get sqlDialect() {
        return this.dialect;
    }
}
/** Escapes LIKE wildcards so `co`/`sw`/`ew` match the client's text literally (ESCAPE '\'). */
export function escapeLike(value) {
    return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
//# sourceMappingURL=sql-fragment.js.map