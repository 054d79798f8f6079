import { ScimException } from '../errors/scim.exception.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject, type ScimObject } from '../resource/scim-resource.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { ElementFinder } from './json-value.util.js';
import {
  assertMayChange,
  assertMayUnassign,
  assertWritable,
  chargeCompared,
  checkGrowth,
  containerOf,
  store,
  type PatchContext,
} from './patch-context.js';
import {
  clearOtherPrimaries,
  coerceComplex,
  coerceElements,
  coerceSimple,
  elementsOf,
  findSubAttribute,
} from './patch-value.coercion.js';
import type { PatchTarget } from './patch.types.js';

export type WriteOp = 'add' | 'replace';

/**
 * `add` or `replace` at an attribute path without value filter (RFC 7644 §3.5.2.1, §3.5.2.3).
 * The two differ only for multi-valued attributes (append vs replace all) and for a null value
 * (add: nothing to add; replace: the attribute becomes unassigned, RFC 7643 §2.5). A target that
 * does not exist yet is created, which is also what replace does (§3.5.2.3 "treat as add").
 */
export function writeAttribute(ctx: PatchContext, op: WriteOp, target: PatchTarget, value: unknown): void {
  assertWritable(target);
  const container = containerOf(ctx, target.schemaUri, true);
  if (!container) throw new TypeError('containerOf(create) returned undefined');
  const { attribute: def, subAttribute: sub, path } = target;
  if (sub) {
    if (def.multiValued) writeSubOfEach(ctx, op, container, def, sub, value, path);
    else writeSubOfSingle(ctx, op, container, def, sub, value, path);
  } else if (def.multiValued) {
    writeMultiValued(ctx, op, container, def, value, path);
  } else if (def.type === 'complex') {
    writeComplex(ctx, op, container, def, value, path);
  } else {
    writeSimple(ctx, op, container, def, value, path);
  }
}

function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('.'));
}

function unassign(container: ScimObject, def: AttributeDefinition, path: string): void {
  assertMayUnassign(def, container[def.name], path);
  delete container[def.name];
}

/** RFC 7643 §2.5: null or [] means unassigned; a replace with it unassigns, an add does nothing. */
function writesNothing(
  op: WriteOp,
  container: ScimObject,
  def: AttributeDefinition,
  value: unknown,
  path: string,
): boolean {
  if (!isUnassigned(value)) return false;
  if (op === 'replace') unassign(container, def, path);
  return true;
}

function writeSimple(
  ctx: PatchContext,
  op: WriteOp,
  container: ScimObject,
  def: AttributeDefinition,
  value: unknown,
  path: string,
): void {
  if (writesNothing(op, container, def, value, path)) return;
  const next = coerceSimple(def, value, path, ctx.lenient);
  assertMayChange(def, container[def.name], next, path);
  container[def.name] = next;
}

/**
 * §3.5.2.1 and §3.5.2.3 alike: the sub-attributes in `value` are set, the others stay. A null
 * sub-value unassigns that sub-attribute; a lenient "" for the whole attribute clears it (Entra's `manager`).
 */
function writeComplex(
  ctx: PatchContext,
  op: WriteOp,
  container: ScimObject,
  def: AttributeDefinition,
  value: unknown,
  path: string,
): void {
  // Lenient: for a single-valued attribute add is replace (§3.5.2.1), so Entra's add of null clears it too.
  if (writesNothing(ctx.lenient ? 'replace' : op, container, def, value, path)) return;
  const coerced = coerceComplex(def, value, path, ctx.lenient);
  if (coerced === undefined) {
    unassign(container, def, path);
    return;
  }
  const current = isPlainObject(container[def.name]) ? (container[def.name] as ScimObject) : {};
  const next: ScimObject = { ...current };
  for (const [name, subValue] of Object.entries(coerced)) {
    const sub = findSubAttribute(def, name);
    if (!sub) continue;
    if (subValue === null) {
      assertMayUnassign(sub, current[name], `${path}.${name}`);
      delete next[name];
    } else {
      assertMayChange(sub, current[name], subValue, `${path}.${name}`);
      next[name] = subValue;
    }
  }
  if (Object.keys(next).length === 0) assertMayUnassign(def, container[def.name], path);
  assertMayChange(def, container[def.name], next, path);
  store(container, def.name, next);
}

/** add appends the values not yet present (§3.5.2.1 "no change"); replace replaces them all. */
function writeMultiValued(
  ctx: PatchContext,
  op: WriteOp,
  container: ScimObject,
  def: AttributeDefinition,
  value: unknown,
  path: string,
): void {
  if (isUnassigned(value)) {
    if (op === 'replace') unassign(container, def, path);
    return;
  }
  const incoming = coerceElements(def, value, path, ctx.lenient);
  if (op === 'add') chargeCompared(ctx, path, incoming.length);
  const current = elementsOf(container[def.name]);
  const next = op === 'replace' ? incoming : [...current];
  const finder = op === 'add' ? new ElementFinder(def, next) : undefined;
  const written: unknown[] = [];
  for (const candidate of incoming) {
    const existing = finder ? finder.find(candidate) : candidate;
    if (existing === undefined) finder?.push(candidate);
    written.push(existing ?? candidate);
  }
  checkGrowth(ctx, path, next);
  clearOtherPrimaries(next, written, path);
  if (next.length === 0) assertMayUnassign(def, container[def.name], path);
  assertMayChange(def, container[def.name], next, path);
  store(container, def.name, next);
}

/** `name.givenName`, `urn:…:User:manager.value`: the parent is created when absent. */
function writeSubOfSingle(
  ctx: PatchContext,
  op: WriteOp,
  container: ScimObject,
  def: AttributeDefinition,
  sub: AttributeDefinition,
  value: unknown,
  path: string,
): void {
  const current = isPlainObject(container[def.name]) ? (container[def.name] as ScimObject) : undefined;
  if (isUnassigned(value)) {
    if (op === 'add' || !current) return;
    assertMayUnassign(sub, current[sub.name], path);
    delete current[sub.name];
    if (Object.keys(current).length === 0) unassign(container, def, parentPath(path));
    return;
  }
  const next = coerceSimple(sub, value, path, ctx.lenient);
  assertMayChange(sub, current?.[sub.name], next, path);
  if (current) current[sub.name] = next;
  else container[def.name] = { [sub.name]: next };
}

/**
 * `emails.type` without a filter names that sub-attribute of every value. With no value at all
 * the target does not exist, so add (and replace, §3.5.2.3) creates one value holding it.
 */
function writeSubOfEach(
  ctx: PatchContext,
  op: WriteOp,
  container: ScimObject,
  def: AttributeDefinition,
  sub: AttributeDefinition,
  value: unknown,
  path: string,
): void {
  const elements = elementsOf(container[def.name]).filter(isPlainObject);
  if (isUnassigned(value)) {
    if (op === 'add') return;
    setSubOnElements(elements, sub, undefined, path);
    store(
      container,
      def.name,
      elements.filter((e) => Object.keys(e).length > 0),
    );
    return;
  }
  const next = coerceSimple(sub, value, path, ctx.lenient);
  if (elements.length === 0) {
    container[def.name] = [{ [sub.name]: next }];
    return;
  }
  if (sub.name === 'primary' && next === true && elements.length > 1) {
    throw ScimException.invalidValue(`Path '${path}' would make more than one value primary`);
  }
  setSubOnElements(elements, sub, next, path);
  container[def.name] = elements;
}

/** Sets (or, for undefined, unassigns) one sub-attribute on the given values, in place. */
export function setSubOnElements(
  elements: readonly ScimObject[],
  sub: AttributeDefinition,
  next: unknown,
  path: string,
): void {
  for (const element of elements) {
    if (next === undefined) {
      assertMayUnassign(sub, element[sub.name], path);
      delete element[sub.name];
    } else {
      assertMayChange(sub, element[sub.name], next, path);
      element[sub.name] = next;
    }
  }
}
