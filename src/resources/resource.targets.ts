import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import { columnTargets } from '../database/sql/column-targets.js';
import { docTarget, type TargetResolver } from '../database/sql/doc-targets.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { ResourceTypeDefinition } from '../scim/schema/resource-type.definition.js';

/**
 * Where each attribute of a resource type lives, read from its definition: a column of
 * its own (storage.columns), else the JSON document (extension attributes under their
 * URN, RFC 7643 §3.3).
 */
export function resourceTargets(
  definition: Pick<ResourceTypeDefinition, 'name' | 'schema' | 'storage'>,
  dialect: SqlDialect,
): TargetResolver {
  const columns = columnTargets(definition);
  const doc = `${definition.storage.alias}.doc`;
  return (resolved) => {
    const column = columns.get(resolved.path.toLowerCase());
    if (column) return column;
    // meta is computed, not stored: only the sub-attributes with a column are filterable.
    if (resolved.schemaUri === '' && resolved.attribute.name === 'meta') {
      throw ScimException.invalidFilter(`Filtering on '${resolved.path}' is not supported`);
    }
    return docTarget(dialect.json, doc, definition.schema, resolved, 'je');
  };
}
