import { docTarget, type TargetResolver } from '../database/sql/doc-targets.js';
import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { scalar, type ElementTarget, type ScalarTarget } from '../database/sql/sql-targets.js';
import { SCHEMA_GROUP } from '../scim/scim.constants.js';

const COLUMNS: ReadonlyMap<string, ScalarTarget> = new Map([
  ['id', scalar('g.id', 'exact', undefined, 'index')],
  ['displayname', scalar('g.display_name_key', 'folded', undefined, 'index')],
  ['externalid', scalar('g.external_id', 'exact', undefined, 'index')],
  ['meta.created', scalar('g.created', 'dateTime', '(g.created IS NOT NULL)', 'index')],
  ['meta.lastmodified', scalar('g.last_modified', 'dateTime', '(g.last_modified IS NOT NULL)')],
  ['meta.resourcetype', scalar("'Group'", 'exact', '(1 = 1)')],
  ['meta.version', scalar(`('W/"' || g.version || '"')`, 'exact', '(1 = 1)')],
]);

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
