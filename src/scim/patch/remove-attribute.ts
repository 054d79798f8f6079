import type { ValidatedFilter } from '../filter/validate-filter.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject, type ScimObject } from '../resource/scim-resource.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { matchesElement } from '../filter/element-filter.evaluator.js';
import { sameSimpleValue } from './json-value.util.js';
import {
  assertMayChange,
  assertMayUnassign,
  assertWritable,
  chargeCompared,
  containerOf,
  store,
  type PatchContext,
} from './patch-context.js';
import { coerceSimple, elementsOf, findSubAttribute } from './patch-value.coercion.js';
import type { PatchTarget } from './patch.types.js';
import { setSubOnElements } from './write-attribute.js';

/**
 * `remove` at an attribute path without value filter (RFC 7644 §3.5.2.2): the attribute (or
 * sub-attribute, of the single value or of every value) becomes unassigned. Required and readOnly
 * targets fail with mutability. Lenient mode reads a `value` on a multi-valued target as the
 * values to remove (Entra's `remove members` with a value list); strict mode
 * follows the RFC, for which `remove` has no value and the whole attribute goes.
 */
export function removeAttribute(ctx: PatchContext, target: PatchTarget, value: unknown): void {
  assertWritable(target);
  const container = containerOf(ctx, target.schemaUri, false);
  const { attribute: def, subAttribute: sub, path } = target;
  const current = container?.[def.name];
  if (!sub) {
    if (def.multiValued && ctx.lenient && !isUnassigned(value) && container) {
      chargeCompared(ctx, path, Array.isArray(value) ? value.length : 1);
      const kept = elementsOf(current).filter((e) => !matchesAnyTemplate(ctx, def, e, value, path));
      if (kept.length === 0) assertMayUnassign(def, current, path);
      assertMayChange(def, current, kept, path);
      store(container, def.name, kept);
      return;
    }
    assertMayUnassign(def, current, path);
    if (container) delete container[def.name];
    return;
  }
  if (!container || isUnassigned(current)) {
    // Nothing to remove; the checks still apply so a request's outcome does not depend on the data.
    assertMayUnassign(sub, undefined, path);
    return;
  }
  const owners = def.multiValued ? elementsOf(current).filter(isPlainObject) : isPlainObject(current) ? [current] : [];
  setSubOnElements(owners, sub, undefined, path);
  const rest = owners.filter((e) => Object.keys(e).length > 0);
  if (rest.length === 0) assertMayUnassign(def, current, path);
  store(container, def.name, def.multiValued ? rest : rest[0]);
}

/**
 * `remove` at `attr[filter]` or `attr[filter].sub`: the matching values (or that sub-attribute of
 * each) go; an attribute left without values becomes unassigned. A filter matching nothing is no
 * change and no error, so repeated removals are idempotent (as RFC 7644 §3.5.2.2's examples treat
 * removing an absent member).
 */
export function removeValuePath(ctx: PatchContext, target: PatchTarget, filter: ValidatedFilter): void {
  assertWritable(target);
  const container = containerOf(ctx, target.schemaUri, false);
  const { attribute: def, subAttribute: sub, path } = target;
  const current = container?.[def.name];
  const elements = elementsOf(current);
  const matched = elements.filter((e): e is ScimObject => matchesElement(filter, e));
  if (!container || matched.length === 0) return;
  let rest: unknown[];
  if (sub) {
    setSubOnElements(matched, sub, undefined, path);
    rest = elements.filter((e) => !isPlainObject(e) || Object.keys(e).length > 0);
  } else {
    rest = elements.filter((e) => !matched.includes(e as ScimObject));
  }
  if (rest.length === 0) assertMayUnassign(def, current, path);
  assertMayChange(def, current, rest, path);
  store(container, def.name, rest);
}

/** SCIMMY's and Entra's value list: an element matches a template when every given sub-attribute agrees; null means absent. */
function matchesAnyTemplate(
  ctx: PatchContext,
  def: AttributeDefinition,
  element: unknown,
  value: unknown,
  path: string,
): boolean {
  const templates = Array.isArray(value) ? value : [value];
  return templates.some((template) => matchesTemplate(ctx, def, element, template, path));
}

function matchesTemplate(
  ctx: PatchContext,
  def: AttributeDefinition,
  element: unknown,
  raw: unknown,
  path: string,
): boolean {
  const valueSub = findSubAttribute(def, 'value');
  // A bare id stands for {value: id}, as for Entra's `manager`.
  const template = !isPlainObject(raw) && def.type === 'complex' && valueSub ? { [valueSub.name]: raw } : raw;
  if (!isPlainObject(template)) {
    return def.type !== 'complex' && sameSimpleValue(def, element, coerceSimple(def, template, path, ctx.lenient));
  }
  if (!isPlainObject(element)) return false;
  const known = Object.entries(template).flatMap(([key, v]) => {
    const sub = findSubAttribute(def, key);
    return sub ? [{ sub, v }] : [];
  });
  // A template naming no known sub-attribute selects nothing, rather than every value.
  return (
    known.length > 0 &&
    known.every(({ sub, v }) =>
      isUnassigned(v)
        ? isUnassigned(element[sub.name])
        : sameSimpleValue(sub, element[sub.name], coerceSimple(sub, v, `${path}.${sub.name}`, ctx.lenient)),
    )
  );
}
