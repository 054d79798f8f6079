import { columnTargets } from '../database/sql/column-targets.js';
import { docTarget, type TargetResolver } from '../database/sql/doc-targets.js';
import type { SqlDialect } from '../database/sql/sql-fragment.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { JsonSql, scalar, type ElementTarget, type ScalarTarget } from '../database/sql/sql-targets.js';
import { USER_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import type { ResolvedAttribute } from '../scim/schema/schema-registry.js';
import { SCHEMA_USER } from '../scim/scim.constants.js';

/** Attributes with a column of their own (canonical path, lower-cased), from the User definition. */
const COLUMNS = columnTargets(USER_RESOURCE_TYPE);

/** The multi_values rows of one attribute: value/type/display hold comparison keys. */
function multiValues(attr: ResolvedAttribute): ElementTarget {
  const caseExactValue = attr.attribute.subAttributes?.find((s) => s.name === 'value')?.caseExact ?? false;
  const subs: Record<string, ScalarTarget> = {
    value: scalar('mv.value_key', caseExactValue ? 'exact' : 'folded'),
    type: scalar('mv.type_key', 'folded'),
    display: scalar('mv.display_key', 'folded'),
    primary: scalar('mv.is_primary', 'boolean', '(mv.is_primary IS NOT NULL)'),
  };
  const name = attr.attribute.name.toLowerCase();
  return {
    kind: 'elements',
    from: 'multi_values mv',
    correlation: `mv.resource_id = u.id AND mv.attr = '${name}'`,
    owners: (condition) => `u.id IN (SELECT mv.resource_id FROM multi_values mv WHERE mv.attr = '${name}' AND ${condition})`,
    scan: 'index',
    sub: (name) => subs[name],
  };
}

// Depth-bounded so that a membership cycle cannot make the recursion run away.
const MAX_NESTING = 32;

// One user's groups, direct (depth 0) and through nested groups (per row: for sorting only).
const USER_GROUPS = `(WITH RECURSIVE ug0(group_id, depth) AS (
    SELECT group_id, 0 FROM group_members WHERE member_id = u.id
    UNION SELECT gm.group_id, ug0.depth + 1 FROM group_members gm JOIN ug0 ON gm.member_id = ug0.group_id WHERE ug0.depth < ${MAX_NESTING}
  ) SELECT ug0.group_id AS value, MIN(ug0.depth) AS depth, gr.display_name AS display
    FROM ug0 JOIN groups gr ON gr.id = ug0.group_id GROUP BY ug0.group_id, gr.display_name) ug`;

/**
 * Every user's groups at once, as user_groups(user_id, value, depth, display): the closure
 * of the group-in-group graph (gc: a group, an ancestor, the distance) joined once with the
 * direct user memberships. A statement-level CTE, materialized, so that a filter builds it
 * once per query however many of its terms name `groups`.
 */
const ALL_USER_GROUPS = `gc(member_group, group_id, depth) AS (
      SELECT gq.id, gq.id, 0 FROM groups gq
      UNION SELECT gc.member_group, gm.group_id, gc.depth + 1 FROM group_members gm JOIN gc ON gm.member_id = gc.group_id WHERE gc.depth < ${MAX_NESTING}
    ), user_groups(user_id, value, depth, display) AS MATERIALIZED (
      SELECT um.member_id, gc.group_id, MIN(gc.depth), gr.display_name
        FROM group_members um JOIN gc ON gc.member_group = um.group_id JOIN groups gr ON gr.id = gc.group_id
       WHERE um.member_type = 'User' GROUP BY um.member_id, gc.group_id, gr.display_name)`;

const GROUPS: ElementTarget = {
  kind: 'elements',
  from: USER_GROUPS,
  correlation: '1 = 1',
  owners: (condition) => `u.id IN (SELECT ug.user_id FROM user_groups ug WHERE ${condition})`,
  prelude: ALL_USER_GROUPS,
  scan: 'closure',
  sub: (name) =>
    ({
      value: scalar('ug.value', 'exact'),
      display: scalar('scim_fold(ug.display)', 'sqlFolded'),
      type: scalar("(CASE WHEN ug.depth = 0 THEN 'direct' ELSE 'indirect' END)", 'folded'),
    })[name],
};

/** Where each User attribute lives: a column, multi_values, the groups graph, or the JSON document. */
export function userTargets(dialect: SqlDialect, indexedMultiValued: ReadonlySet<string>): TargetResolver {
  const json = new JsonSql(dialect);
  return (resolved) => {
    const path = resolved.path.toLowerCase();
    const column = COLUMNS.get(path);
    if (column) return column;
    const top = resolved.attribute.name.toLowerCase();
    if (resolved.schemaUri === SCHEMA_USER && indexedMultiValued.has(top)) return multiValues(resolved);
    if (resolved.schemaUri === SCHEMA_USER && top === 'groups') return GROUPS;
    // meta is computed, not stored: only the sub-attributes with a column are filterable.
    if (resolved.schemaUri === '' && resolved.attribute.name === 'meta') {
      throw ScimException.invalidFilter(`Filtering on '${resolved.path}' is not supported`);
    }
    return docTarget(json, 'u.doc', SCHEMA_USER, resolved, 'je');
  };
}
