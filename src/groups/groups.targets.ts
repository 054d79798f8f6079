import { columnTargets } from '../database/sql/column-targets.js';
import { docTarget, type TargetResolver } from '../database/sql/doc-targets.js';
import type { SqlDialect } from '../database/sql/sql-fragment.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { JsonSql, scalar, type ElementTarget } from '../database/sql/sql-targets.js';
import { GROUP_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import { SCHEMA_GROUP } from '../scim/scim.constants.js';

/** Attributes with a column of their own (canonical path, lower-cased), from the Group definition. */
const COLUMNS = columnTargets(GROUP_RESOURCE_TYPE);

/** Members are rows of group_members; `display` lives with the member and is not filterable here. */
export const MEMBER_ELEMENTS: ElementTarget = {
  kind: 'elements',
  from: 'group_members gm',
  correlation: 'gm.group_id = g.id',
  owners: (condition) => `g.id IN (SELECT gm.group_id FROM group_members gm WHERE ${condition})`,
  scan: 'index',
  sub: (name) =>
    ({
      value: scalar('gm.member_id', 'exact'),
      type: scalar('lower(gm.member_type)', 'folded'),
    })[name],
};

export function groupTargets(dialect: SqlDialect): TargetResolver {
  const json = new JsonSql(dialect);
  return (resolved) => {
    const column = COLUMNS.get(resolved.path.toLowerCase());
    if (column) return column;
    if (resolved.schemaUri === SCHEMA_GROUP && resolved.attribute.name === 'members') return MEMBER_ELEMENTS;
    // meta is computed, not stored: only the sub-attributes with a column are filterable.
    if (resolved.schemaUri === '' && resolved.attribute.name === 'meta') {
      throw ScimException.invalidFilter(`Filtering on '${resolved.path}' is not supported`);
    }
    return docTarget(json, 'g.doc', SCHEMA_GROUP, resolved, 'je');
  };
}
