import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ScimException } from '../errors/scim.exception.js';
import { SchemaRegistry } from '../schema/schema-registry.js';
import { parseFilter } from './filter.parser.js';
import { formatAttrPath, stringifyFilter } from './filter.stringify.js';
import { visitFilter } from './filter.visitor.js';
import { validateFilter } from './validate-filter.js';
/** The fixtures live in the source tree; specs run from it or from the compiled dist-test copy. */
function readFixture(name) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'test', 'fixtures', 'filters'))) {
        const parent = dirname(dir);
        if (parent === dir)
            throw new Error(`test/fixtures/filters not found above ${fileURLToPath(import.meta.url)}`);
        dir = parent;
    }
    return JSON.parse(readFileSync(join(dir, 'test', 'fixtures', 'filters', name), 'utf8'));
}
/** A fully parenthesised form that pins the tree shape; the format is described in the fixtures. */
const SEXPR = {
    compare: (n) => `(${n.op} ${formatAttrPath(n.path)} ${JSON.stringify(n.value)})`,
    present: (n) => `(pr ${formatAttrPath(n.path)})`,
    and: (n) => `(and ${sexpr(n.left)} ${sexpr(n.right)})`,
    or: (n) => `(or ${sexpr(n.left)} ${sexpr(n.right)})`,
    not: (n) => `(not ${sexpr(n.filter)})`,
    valuePath: (n) => `(${formatAttrPath(n.path)}[] ${sexpr(n.filter)})`,
};
function sexpr(node) {
    return visitFilter(node, SEXPR);
}
function assertParsesTo(source, expected) {
    const tree = parseFilter(source);
    assert.equal(sexpr(tree), expected);
    assert.deepEqual(parseFilter(stringifyFilter(tree)), tree);
}
describe('SCIMMY filter vectors', () => {
    const { cases } = readFixture('scimmy-parse.json');
    it('has both accepted and rejected cases', () => {
        assert.ok(cases.filter((c) => c.expected !== undefined).length >= 30);
        assert.ok(cases.filter((c) => c.error !== undefined).length >= 10);
    });
    for (const c of cases) {
        it(`${c.section}: ${c.source}`, () => {
            if (c.expected !== undefined)
                return assertParsesTo(c.source, c.expected);
            assert.throws(() => parseFilter(c.source), (error) => error instanceof ScimException &&
                error.scimType === 'invalidFilter' &&
                error.detail.includes(c.error ?? '') &&
                error.detail.includes(`at position ${c.position}`));
        });
    }
});
describe('15five scim2-filter-parser vectors', () => {
    const { cases } = readFixture('15five-transpiler.json');
    const registry = new SchemaRegistry();
    for (const c of cases) {
        it(`${c.test}: ${c.filter}`, () => assertParsesTo(c.filter, c.expected));
    }
    it('validates every RFC 7644 example against the User schema, except "schemas"', () => {
        const validated = cases.filter((c) => !c.filter.startsWith('schemas '));
        assert.equal(validated.length, cases.length - 1);
        for (const c of validated)
            validateFilter(parseFilter(c.filter), registry, 'User');
    });
});
//# sourceMappingURL=filter.vectors.spec.js.map