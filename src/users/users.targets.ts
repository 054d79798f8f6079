import { columnTargets } from '../database/sql/column-targets.js';
import { docTarget, type TargetResolver } from '../database/sql/doc-targets.js';
import type { SqlDialect } from '../database/dialect/sql-dialect.js';
import type { ResourceScope } from '../database/scope/resource-scope.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { scalar, type ElementTarget, type ScalarTarget } from '../database/sql/sql-targets.js';
import { USER_RESOURCE_TYPE } from '../scim/schema/resource-types.js';
import type { ResolvedAttribute } from '../scim/schema/schema-registry.js';
import { SCHEMA_USER } from '../scim/scim.constants.js';

/** Attributes with a column of their own (canonical path, lower-cased), from the User definition. */
const COLUMNS = columnTargets(USER_RESOURCE_TYPE);

/** The multi_values rows of one attribute: value/type/display hold comparison keys. */
function multiValues(s: ResourceScope, attr: ResolvedAttribute): ElementTarget {
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
    from: s.from('multi_values', 'mv'),
    correlation: `${s.where('multi_values', 'mv')} AND mv.resource_id = u.id AND mv.attr = '${name}'`,
    owners: (condition) =>
      `u.id IN (SELECT mv.resource_id FROM ${s.from('multi_values', 'mv')} WHERE ${s.where('multi_values', 'mv')} AND mv.attr = '${name}' AND ${condition})`,
    scan: 'index',
    sub: (name) => subs[name],
  };
}

/**
 * Where each User attribute lives: a column, multi_values, the groups graph (`groups`, the
 * membership repository's target), or the JSON document.
 */
export function userTargets(
  dialect: SqlDialect,
  scope: ResourceScope,
  groups: ElementTarget,
  indexedMultiValued: ReadonlySet<string>,
): TargetResolver {
  const json = dialect.json;
  return (resolved) => {
    const path = resolved.path.toLowerCase();
    const column = COLUMNS.get(path);
    if (column) return column;
    const top = resolved.attribute.name.toLowerCase();
    if (resolved.schemaUri === SCHEMA_USER && indexedMultiValued.has(top)) return multiValues(scope, resolved);
    if (resolved.schemaUri === SCHEMA_USER && top === 'groups') return groups;
    // meta is computed, not stored: only the sub-attributes with a column are filterable.
    if (resolved.schemaUri === '' && resolved.attribute.name === 'meta') {
      throw ScimException.invalidFilter(`Filtering on '${resolved.path}' is not supported`);
    }
    return docTarget(json, 'u.doc', SCHEMA_USER, resolved, 'je');
  };
}
