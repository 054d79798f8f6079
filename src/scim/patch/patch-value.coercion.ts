import { ScimException } from '../errors/scim.exception.js';
import { coerceSimpleValue, isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject, type ScimObject } from '../resource/scim-resource.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';

/*
 * Turns an operation's `value` into the shape and JSON types the schema defines, in canonical
 * attribute spelling. Strict mode takes RFC 7644 §3.5.2 literally; lenient mode also accepts the
 * IdP forms: string booleans and numbers (RFC 7643 §2.3 wants JSON types), a bare string for a
 * complex attribute with a `value` sub-attribute (Entra's `manager`) and a lone value where an
 * array belongs.
 */

export function findSubAttribute(def: AttributeDefinition, name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return def.subAttributes?.find((s) => s.name.toLowerCase() === lower);
}

/** A simple value in the schema's JSON type; strict mode refuses "True" for a boolean. */
export function coerceSimple(def: AttributeDefinition, value: unknown, path: string, lenient: boolean): unknown {
  if (!lenient) checkJsonType(def, value, path);
  return coerceSimpleValue(def, value, path);
}

function checkJsonType(def: AttributeDefinition, value: unknown, path: string): void {
  switch (def.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw ScimException.invalidValue(`Attribute '${path}' must be a JSON boolean`);
      return;
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number') throw ScimException.invalidValue(`Attribute '${path}' must be a JSON number`);
      return;
    case 'string':
    case 'reference':
    case 'binary':
    case 'dateTime':
    case 'complex':
      // coerceSimpleValue checks these exactly.
      return;
  }
}

/**
 * A value for a complex attribute: canonical sub-attribute names, each coerced. A null (or [])
 * sub-value stays null, meaning "unassign this sub-attribute" (RFC 7643 §2.5). readOnly
 * sub-attributes are dropped, as RFC 7644 §3.3 and §3.5.1 drop readOnly input (Okta sends
 * `members.display`). Returns undefined for the lenient "" that clears the attribute (Entra's `manager`).
 */
export function coerceComplex(
  def: AttributeDefinition,
  value: unknown,
  path: string,
  lenient: boolean,
): ScimObject | undefined {
  // Entra's documented `"value": [{"$ref": null, "value": "<id>"}]` for the single-valued `manager`.
  if (lenient && !def.multiValued && Array.isArray(value) && value.length === 1) {
    return coerceComplex(def, value[0], path, lenient);
  }
  if (!isPlainObject(value)) return coerceScalarAsComplex(def, value, path, lenient);
  const out: ScimObject = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = findSubAttribute(def, key);
    if (!sub) {
      if (lenient) continue;
      throw ScimException.invalidValue(`Attribute '${path}' has no sub-attribute '${key}'`);
    }
    if (sub.mutability === 'readOnly') continue;
    out[sub.name] = isUnassigned(raw) ? null : coerceSimple(sub, raw, `${path}.${sub.name}`, lenient);
  }
  return out;
}

/** Entra's `"manager": "<id>"` means {value: "<id>"} (RFC 7643 §4.3); `"manager": ""` clears it. */
function coerceScalarAsComplex(
  def: AttributeDefinition,
  value: unknown,
  path: string,
  lenient: boolean,
): ScimObject | undefined {
  const valueSub = findSubAttribute(def, 'value');
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  if (!lenient || !valueSub || !scalar) throw ScimException.invalidValue(`Attribute '${path}' must be an object`);
  if (value === '') return undefined;
  return { [valueSub.name]: coerceSimple(valueSub, value, `${path}.${valueSub.name}`, lenient) };
}

/** One element of a multi-valued attribute, without unassigned sub-values; undefined when empty. */
function coerceElementValue(def: AttributeDefinition, item: unknown, path: string, lenient: boolean): unknown {
  if (def.type !== 'complex') return coerceSimple(def, item, path, lenient);
  const element = coerceComplex(def, item, path, lenient);
  if (!element) return undefined;
  const assigned = Object.fromEntries(Object.entries(element).filter(([, v]) => v !== null));
  return Object.keys(assigned).length > 0 ? assigned : undefined;
}

/** The values for a multi-valued attribute; at most one may be primary (RFC 7643 §2.4). */
export function coerceElements(def: AttributeDefinition, value: unknown, path: string, lenient: boolean): unknown[] {
  if (!Array.isArray(value) && !lenient) {
    throw ScimException.invalidValue(`Attribute '${path}' is multi-valued; its value must be an array`);
  }
  const items = Array.isArray(value) ? value : [value];
  const out = items
    .filter((item) => !isUnassigned(item))
    .map((item) => coerceElementValue(def, item, path, lenient))
    .filter((item) => item !== undefined);
  assertSinglePrimary(out, path);
  return out;
}

/** The single element a value path write puts in place of (or merges into) each matched one. */
export function coerceElement(
  def: AttributeDefinition,
  value: unknown,
  path: string,
  lenient: boolean,
): ScimObject | undefined {
  let item = value;
  if (Array.isArray(value)) {
    if (!lenient || value.length !== 1) {
      throw ScimException.invalidValue(`Path '${path}[…]' selects values; its value must be one object, not an array`);
    }
    item = value[0];
  }
  if (isUnassigned(item)) return undefined;
  const element = coerceElementValue(def, item, path, lenient);
  if (element !== undefined && !isPlainObject(element))
    throw ScimException.invalidValue(`Attribute '${path}' must be an object`);
  return element;
}

export function assertSinglePrimary(elements: readonly unknown[], path: string): void {
  const primaries = elements.filter((e) => isPlainObject(e) && e['primary'] === true).length;
  if (primaries > 1) {
    throw ScimException.invalidValue(`Attribute '${path}' would have more than one value with primary=true`);
  }
}

/**
 * RFC 7644 §3.5.2: when a value is made primary, the service provider sets `primary` to false on
 * every other value of the attribute. `chosen` are the values this operation wrote.
 */
export function clearOtherPrimaries(elements: readonly unknown[], chosen: readonly unknown[], path: string): void {
  const primaries = chosen.filter((e) => isPlainObject(e) && e['primary'] === true);
  assertSinglePrimary(primaries, path);
  const [primary] = primaries;
  if (primary === undefined) return;
  for (const element of elements) {
    if (isPlainObject(element) && element !== primary && element['primary'] === true) element['primary'] = false;
  }
}

/** Values of a multi-valued attribute as stored; anything else counts as none. */
export function elementsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? [...(value as unknown[])] : [];
}
