import { randomUUID } from 'node:crypto';
import { indexedMultiValuedAttributes } from '../../src/users/multi-values.js';
import { toUserWrite } from '../../src/users/user.mapper.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/scim/resource/input-limits.js';
import { SchemaRegistry } from '../../src/scim/schema/schema-registry.js';
import type { ScimObject } from '../../src/scim/resource/scim-resource.js';
import { foldKey } from '../../src/scim/resource/fold-key.js';
import { GROUP_SCHEMA, type TestApp } from './test-app.js';

const indexed = indexedMultiValuedAttributes(new SchemaRegistry());
const BATCH = 100;

/** Inserts rows in batches with bound parameters, placeholders in the dialect's spelling. */
async function insertRows(t: TestApp, head: string, rows: readonly (readonly unknown[])[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    let n = 0;
    const mark = (): string => (t.dialect === 'postgres' ? `$${++n}` : '?');
    const values = batch.map((row) => `(${row.map(mark).join(', ')})`).join(', ');
    await t.db.query(`${head} VALUES ${values}`, batch.flat());
  }
}

/**
 * Users written straight to the tables the way the server writes them (the same mapper
 * builds the columns and multi_values rows), for data sets too large to POST one by one.
 * Returns the ids in the order of `docs`.
 */
export async function seedUsers(t: TestApp, docs: readonly ScimObject[]): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = docs.map(() => randomUUID());
  const users: unknown[][] = [];
  const values: unknown[][] = [];
  const flag = (b: boolean | null): unknown => (b === null ? null : t.dialect === 'postgres' ? b : b ? 1 : 0);
  docs.forEach((doc, i) => {
    const w = toUserWrite(doc, indexed, DEFAULT_INPUT_LIMITS);
    const id = ids[i];
    const column = (name: string): string | number | boolean | null =>
      w.columns.find((c) => c.column === name)?.value ?? null;
    const active = column('active');
    users.push([
      id,
      w.userName,
      column('user_name_key'),
      column('external_id'),
      w.displayName,
      column('display_name_key'),
      flag(typeof active === 'boolean' ? active : null),
      now,
      now,
      1,
      w.doc,
    ]);
    for (const m of w.multiValues)
      values.push([id, m.attr, m.idx, m.valueKey, m.typeKey, m.displayKey, flag(m.isPrimary)]);
  });
  await insertRows(
    t,
    `INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, active,
    created, last_modified, version, doc)`,
    users,
  );
  await insertRows(
    t,
    'INSERT INTO multi_values (resource_id, attr, idx, value_key, type_key, display_key, is_primary)',
    values,
  );
  return ids;
}

/** A group row and its member rows, written directly; members are [id, 'User' | 'Group']. */
export async function seedGroup(
  t: TestApp,
  displayName: string,
  members: readonly [string, 'User' | 'Group'][],
): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  const doc = JSON.stringify({ schemas: [GROUP_SCHEMA], displayName });
  await insertRows(
    t,
    'INSERT INTO groups (id, display_name, display_name_key, external_id, created, last_modified, version, doc)',
    [[id, displayName, foldKey(displayName), null, now, now, 1, doc]],
  );
  await insertRows(
    t,
    'INSERT INTO group_members (group_id, member_id, member_type)',
    members.map(([m, type]) => [id, m, type]),
  );
  return id;
}
