import { ScimException } from '../errors/scim.exception.js';
import type { ValidatedFilter } from '../filter/validate-filter.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject, type ScimObject } from '../resource/scim-resource.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { equalityConjunction, matchesElement } from '../filter/element-filter.evaluator.js';
import { assertMayChange, assertWritable, containerOf, store, type PatchContext } from './patch-context.js';
import { clearOtherPrimaries, coerceElement, coerceSimple, elementsOf } from './patch-value.coercion.js';
import type { PatchTarget } from './patch.types.js';
import { setSubOnElements, type WriteOp } from './write-attribute.js';

interface ValuePathWrite {
  readonly ctx: PatchContext;
  readonly op: WriteOp;
  readonly target: PatchTarget;
  readonly filter: ValidatedFilter;
  readonly text: string;
}

/**
 * `add`/`replace` at `attr[filter]` or `attr[filter].sub`. RFC 7644 §3.5.2.3: every matching
 * value is replaced (or, with a sub-attribute, that sub-attribute of every match); add merges the
 * given sub-attributes into the matches instead. No match is noTarget (§3.5.2.3 for replace; the
 * RFC is silent for add, so the same), except in lenient mode for a filter of `eq` comparisons
 * joined by `and`: then a value is created that carries them (Entra's
 * `emails[type eq "work"].value` for a user without a work email).
 */
export function writeValuePath(write: ValuePathWrite, value: unknown): void {
  const { ctx, target, filter } = write;
  assertWritable(target);
  const container = containerOf(ctx, target.schemaUri, true);
  if (!container) throw new TypeError('containerOf(create) returned undefined');
  const def = target.attribute;
  // Only an immutable attribute needs the before-image; the writes below change values in place.
  const before = def.mutability === 'immutable' ? structuredClone(container[def.name]) : undefined;
  const elements = elementsOf(container[def.name]);
  const matched = elements.filter((e): e is ScimObject => matchesElement(filter, e));
  const written =
    matched.length === 0
      ? createUnmatched(write, elements, value)
      : target.subAttribute
        ? writeSubOfMatches(write, matched, target.subAttribute, value)
        : writeMatches(write, elements, matched, value);
  clearOtherPrimaries(elements, written, target.path);
  assertMayChange(def, before, elements, target.path);
  store(
    container,
    def.name,
    elements.filter((e) => !isPlainObject(e) || Object.keys(e).length > 0),
  );
}

function writeSubOfMatches(
  write: ValuePathWrite,
  matched: ScimObject[],
  sub: AttributeDefinition,
  value: unknown,
): ScimObject[] {
  if (isUnassigned(value)) {
    if (write.op === 'replace') setSubOnElements(matched, sub, undefined, write.target.path);
    return [];
  }
  const next = coerceSimple(sub, value, write.target.path, write.ctx.lenient);
  if (sub.name === 'primary' && next === true && matched.length > 1) {
    throw ScimException.invalidValue(`Path '${write.text}' would make more than one value primary`);
  }
  setSubOnElements(matched, sub, next, write.target.path);
  return matched;
}

/** Whole-value writes: replace swaps each match for the value, add merges the value into it. */
function writeMatches(write: ValuePathWrite, elements: unknown[], matched: ScimObject[], value: unknown): ScimObject[] {
  const { target, op } = write;
  const def = target.attribute;
  const element = coerceElement(def, value, target.path, write.ctx.lenient);
  if (element === undefined) {
    // replace with null unassigns the matched values (RFC 7643 §2.5); add of nothing changes nothing.
    if (op === 'replace') removeInPlace(elements, matched);
    return [];
  }
  if (element['primary'] === true && matched.length > 1) {
    throw ScimException.invalidValue(`Path '${write.text}' would make more than one value primary`);
  }
  return matched.map((match) => {
    const next = op === 'replace' ? { ...element } : { ...match, ...element };
    for (const sub of def.subAttributes ?? []) {
      assertMayChange(sub, match[sub.name], next[sub.name], `${target.path}.${sub.name}`);
    }
    elements[elements.indexOf(match)] = next;
    return next;
  });
}

function createUnmatched(write: ValuePathWrite, elements: unknown[], value: unknown): ScimObject[] {
  const { ctx, target, filter } = write;
  const seed = ctx.lenient ? equalityConjunction(filter) : undefined;
  if (!seed) {
    throw ScimException.noTarget(`No value of '${target.attribute.name}' matches the filter in path "${write.text}"`);
  }
  if (isUnassigned(value)) return [];
  const sub = target.subAttribute;
  const given = sub
    ? { [sub.name]: coerceSimple(sub, value, target.path, ctx.lenient) }
    : coerceElement(target.attribute, value, target.path, ctx.lenient);
  if (given === undefined) return [];
  const created: ScimObject = { ...seed, ...given };
  elements.push(created);
  return [created];
}

function removeInPlace(elements: unknown[], remove: readonly unknown[]): void {
  for (const element of remove) elements.splice(elements.indexOf(element), 1);
}
