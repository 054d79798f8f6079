import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * SQL that names a resource table is built only by the scoped builder
 * (src/database/scope/), so that the directory predicate reaches every statement. This scans the TypeScript sources, not the compiled output: a repository that
 * writes `SELECT id FROM users` itself fails here, with the file and line.
 */
const SCOPED_TABLES = ['users', 'groups', 'group_members', 'multi_values', 'api_tokens', 'server_state'];
// Case-insensitive, across line breaks, with or without quotes around the table name.
const TABLE_REFERENCE = new RegExp(
  `\\b(FROM|JOIN|INTO|UPDATE)\\s+["\`]?(${SCOPED_TABLES.join('|')})\\b(?![./-])`,
  'gi',
);
const EXEMPT = ['src/database/migrations/', 'src/database/scope/'];

function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Comments blanked (newlines kept, so line numbers stay), so prose such as "removed from groups" is no SQL. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

/** `line: match` for every resource table named after FROM/JOIN/INTO/UPDATE in `text`. */
export function unscopedReferences(text: string): string[] {
  const code = withoutComments(text);
  return [...code.matchAll(TABLE_REFERENCE)].map((m) => {
    const line = code.slice(0, m.index).split('\n').length;
    return `${line}: ${m[0].replace(/\s+/g, ' ')}`;
  });
}

// `s.from(args)` / `scope.from(args)` / `uow.scope.from(args)` and the matching predicate: where()
// (live rows), whereDeleted() (soft-deleted rows) or whereAll() (both, a directory's purge).
const SCOPE_CALL = /\b(?:s|scope|uow\.scope|DEFAULT_SCOPE)\.(from|where|whereDeleted|whereAll)\(([^()]*)\)/g;

/**
 * `line: from(args)` for every table a file takes from the scope without ever asking the
 * scope for its predicate with the same arguments: a FROM or JOIN of a resource table that
 * would read every directory's rows.
 */
export function fromWithoutWhere(text: string): string[] {
  const code = withoutComments(text);
  const calls = [...code.matchAll(SCOPE_CALL)].map((m) => ({
    kind: m[1],
    args: (m[2] ?? '').replace(/\s+/g, ' ').trim(),
    line: code.slice(0, m.index).split('\n').length,
  }));
  const predicates = new Set(calls.filter((c) => c.kind !== 'from').map((c) => c.args));
  return calls.filter((c) => c.kind === 'from' && !predicates.has(c.args)).map((c) => `${c.line}: from(${c.args})`);
}

describe('SQL on resource tables goes through the scoped builder', () => {
  it('the scan finds a table named outside the builder, however it is written', () => {
    assert.deepEqual(unscopedReferences("const sql = 'SELECT id FROM users WHERE id = $1';"), ['1: FROM users']);
    assert.deepEqual(unscopedReferences('`delete\n  from\n   "group_members" where x`'), ['2: from "group_members']);
    assert.deepEqual(
      unscopedReferences('x\n`UPDATE api_tokens SET a = 1`; `insert into multi_values (a)`; `LEFT JOIN groups g`'),
      ['2: UPDATE api_tokens', '2: into multi_values', '2: JOIN groups'],
    );
    assert.deepEqual(
      unscopedReferences("import { x } from '../users/users.repository.js'; // SELECT 1 FROM users"),
      [],
    );
    assert.deepEqual(unscopedReferences("`SELECT id FROM ${s.from('users')} WHERE ${s.where('users')}`"), []);
  });

  it('the scan finds a scoped FROM whose predicate the file never asks for', () => {
    assert.deepEqual(fromWithoutWhere("`SELECT 1 FROM ${s.from('users', 'u')} WHERE u.id = $1`"), [
      "1: from('users', 'u')",
    ]);
    assert.deepEqual(
      fromWithoutWhere("`FROM ${s.from('users', 'u')}\n JOIN ${s.from('groups', 'g')} WHERE ${s.where('users', 'u')}`"),
      ["2: from('groups', 'g')"],
    );
    assert.deepEqual(fromWithoutWhere('`FROM ${uow.scope.from(t)} WHERE ${uow.scope.where(t)}`; Array.from(x)'), []);
    assert.deepEqual(fromWithoutWhere("`FROM ${s.from('users')} WHERE ${s.whereDeleted('users')}`"), []);
    assert.deepEqual(fromWithoutWhere("`FROM ${s.from('users', 'u')} WHERE ${s.whereDeleted('users')}`"), [
      "1: from('users', 'u')",
    ]);
  });

  it('every table a source file takes from the scope is also constrained by the scope predicate', () => {
    const root = repositoryRoot();
    const offences = sourceFiles(join(root, 'src'))
      .map((file) => relative(root, file).split(sep).join('/'))
      .flatMap((file) => fromWithoutWhere(readFileSync(join(root, file), 'utf8')).map((hit) => `${file}:${hit}`));
    assert.deepEqual(offences, [], `scope.from() without scope.where() for the same table:\n${offences.join('\n')}`);
  });

  it('no file outside src/database/scope/ and the migrations builds such SQL itself', () => {
    const root = repositoryRoot();
    const offences = sourceFiles(join(root, 'src'))
      .map((file) => relative(root, file).split(sep).join('/'))
      .filter((file) => !EXEMPT.some((prefix) => file.startsWith(prefix)))
      .flatMap((file) => unscopedReferences(readFileSync(join(root, file), 'utf8')).map((hit) => `${file}:${hit}`));
    assert.deepEqual(offences, [], `SQL naming a resource table outside ResourceScope:\n${offences.join('\n')}`);
  });
});
