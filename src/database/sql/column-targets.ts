import type { ResourceTypeDefinition, StoredColumn } from '../../scim/schema/resource-type.definition.js';
import { scalar, type ScalarTarget } from './sql-targets.js';

/** A text column's `pr` is "not null and not empty"; other kinds have no empty value. */
function columnTarget(alias: string, column: StoredColumn): ScalarTarget {
  const expr = `${alias}.${column.column}`;
  const text = column.kind === 'folded' || column.kind === 'exact';
  return scalar(expr, column.kind, text ? undefined : `(${expr} IS NOT NULL)`, column.indexed ? 'index' : undefined);
}

/**
 * The filter targets of the attributes with a column of their own, keyed by lower-cased
 * canonical path, read from the type's storage descriptor; `meta.resourceType` and
 * `meta.version` are derived from the type's name and the row's version (RFC 7643 §3.1).
 */
export function columnTargets(
  definition: Pick<ResourceTypeDefinition, 'name' | 'storage'>,
): ReadonlyMap<string, ScalarTarget> {
  const { alias, columns } = definition.storage;
  const targets = new Map(columns.map((c) => [c.attribute.toLowerCase(), columnTarget(alias, c)] as const));
  targets.set('meta.resourcetype', scalar(`'${definition.name.replaceAll("'", "''")}'`, 'exact', '(1 = 1)'));
  targets.set('meta.version', scalar(`('W/"' || ${alias}.version || '"')`, 'exact', '(1 = 1)'));
  return targets;
}
