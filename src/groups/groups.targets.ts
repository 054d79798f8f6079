import { columnTargets } from '../database/sql/column-targets.js';
import { docTarget, type TargetResolver } from '../database/sql/doc-targets.js';
import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { ElementTarget } from '../database/sql/sql-targets.js';
import { GROUP_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import { SCHEMA_GROUP } from '../scim/scim.constants.js';

/** Attributes with a column of their own (canonical path, lower-cased), from the Group definition. */
const COLUMNS = columnTargets(GROUP_RESOURCE_TYPE);

/** Where each Group attribute lives: a column, group_members (`members`, the membership repository's target), or the JSON document. */
export function groupTargets(dialect: SqlDialect, members: ElementTarget): TargetResolver {
  const json = dialect.json;
  return (resolved) => {
    const column = COLUMNS.get(resolved.path.toLowerCase());
    if (column) return column;
    if (resolved.schemaUri === SCHEMA_GROUP && resolved.attribute.name === 'members') return members;
    // meta is computed, not stored: only the sub-attributes with a column are filterable.
    if (resolved.schemaUri === '' && resolved.attribute.name === 'meta') {
      throw ScimException.invalidFilter(`Filtering on '${resolved.path}' is not supported`);
    }
    return docTarget(json, 'g.doc', SCHEMA_GROUP, resolved, 'je');
  };
}
