import type { AttributeDefinition } from '../schema/attribute-definition.js';
import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { ScimException } from '../errors/scim.exception.js';
import { coerceSimpleValue, isUnassigned } from './attribute-coercion.js';
import { checkStringValue, checkValueCount, type InputLimits } from './input-limits.js';
import { isPlainObject, namesOnly, type ScimObject } from './scim-resource.js';

export interface ValidationOptions {
  /** Reject attributes the schema does not define (400 invalidValue) instead of ignoring them. */
  readonly strict: boolean;
  /** Counts and sizes of the resulting resource; every write path passes them. */
  readonly limits: InputLimits;
}

export interface ValidatedResource {
  /** The writable attributes in canonical spelling, with `schemas` set; no readOnly or writeOnly ones. */
  readonly doc: ScimObject;
  /** writeOnly attributes (RFC 7643 §7), kept apart so they never reach the stored document. */
  readonly writeOnly: Readonly<Record<string, unknown>>;
  /** Attribute paths that were ignored because no schema defines them. */
  readonly unknownAttributes: readonly string[];
}

// OneLogin still sends the pre-RFC core URN in PUT bodies; it stands for the RFC 7643 §8.7.1 core schema.
const LEGACY_CORE_URN = 'urn:scim:schemas:core:2.0';

interface Context {
  readonly type: ResourceTypeName;
  /**
   * The type's set-based members attribute (its definition's storage): stored as a set and
   * written in batches, so Okta's full member replace of a large group is not held to the
   * per-attribute value count.
   */
  readonly setBased: string | undefined;
  readonly options: ValidationOptions;
  readonly unknown: string[];
  readonly writeOnly: Record<string, unknown>;
}

function findDefinition(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
}

function noteUnknown(ctx: Context, path: string): void {
  if (ctx.options.strict) {
    throw ScimException.invalidValue(`Attribute '${path}' is not defined by the resource's schemas`);
  }
  ctx.unknown.push(path);
}

/** A simple value, coerced to its schema type; strings are bounded (MAX_STRING_BYTES, no NUL). */
function coerceBounded(ctx: Context, def: AttributeDefinition, value: unknown, path: string): unknown {
  const result = coerceSimpleValue(def, value, path);
  if (typeof result === 'string') checkStringValue(path, result, ctx.options.limits);
  return result;
}

function validateComplex(ctx: Context, def: AttributeDefinition, value: unknown, path: string): ScimObject | undefined {
  const subs = def.subAttributes ?? [];
  // Entra sends manager as a bare id, not the RFC 7643 §4.3 complex value: a scalar for a complex
  // attribute with a `value` sub-attribute means {value: scalar}; "" clears it.
  if (!isPlainObject(value) && typeof value === 'string' && findDefinition(subs, 'value')) {
    if (value === '') return undefined;
    checkStringValue(`${path}.value`, value, ctx.options.limits);
    return { value };
  }
  if (!isPlainObject(value)) throw ScimException.invalidValue(`Attribute '${path}' must be an object`);
  const out: ScimObject = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = findDefinition(subs, key);
    if (!sub) {
      noteUnknown(ctx, `${path}.${key}`);
      continue;
    }
    if (sub.mutability === 'readOnly' || isUnassigned(raw)) continue;
    out[sub.name] = coerceBounded(ctx, sub, raw, `${path}.${sub.name}`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function validateSingle(ctx: Context, def: AttributeDefinition, value: unknown, path: string): unknown {
  return def.type === 'complex' ? validateComplex(ctx, def, value, path) : coerceBounded(ctx, def, value, path);
}

function validateMultiValued(
  ctx: Context,
  def: AttributeDefinition,
  value: unknown,
  path: string,
): unknown[] | undefined {
  // A lone value where an array belongs is taken as a one-element array.
  const items = (Array.isArray(value) ? value : [value]).filter((item) => !isUnassigned(item));
  if (ctx.setBased !== def.name) checkValueCount(path, items.length, ctx.options.limits);
  const out = items.map((item) => validateSingle(ctx, def, item, path)).filter((item) => item !== undefined);
  // RFC 7643 §2.4: primary=true appears at most once; a POST or PUT with two is refused, not repaired.
  const primaries = out.filter((item) => isPlainObject(item) && item['primary'] === true).length;
  if (primaries > 1) {
    throw ScimException.invalidValue(`Attribute '${path}' has more than one value with primary=true`);
  }
  return out.length > 0 ? out : undefined;
}

/** Validates and canonicalises one attribute into `target`; readOnly input is ignored (RFC 7644 §3.3). */
function assign(ctx: Context, target: ScimObject, def: AttributeDefinition, value: unknown, path: string): void {
  if (def.mutability === 'readOnly') return;
  if (def.mutability === 'writeOnly') {
    if (!isUnassigned(value)) ctx.writeOnly[def.name] = coerceBounded(ctx, def, value, path);
    return;
  }
  if (isUnassigned(value)) return;
  const result = def.multiValued ? validateMultiValued(ctx, def, value, path) : validateSingle(ctx, def, value, path);
  if (result !== undefined) target[def.name] = result;
}

function validateAttributes(
  ctx: Context,
  attributes: readonly AttributeDefinition[],
  input: ScimObject,
  prefix: string,
): ScimObject {
  const out: ScimObject = {};
  for (const [key, value] of Object.entries(input)) {
    const def = findDefinition(attributes, key);
    if (def) assign(ctx, out, def, value, `${prefix}${def.name}`);
    else noteUnknown(ctx, `${prefix}${key}`);
  }
  return out;
}

function checkSchemas(registry: SchemaRegistry, type: ResourceTypeName, schemas: unknown): void {
  if (schemas === undefined) return;
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw ScimException.invalidSyntax("'schemas' must be an array of schema URNs");
  }
  const base = registry.getResourceType(type).schema.toLowerCase();
  const hasBase = schemas.some((s: string) => [base, LEGACY_CORE_URN].includes(s.toLowerCase()));
  if (!hasBase) {
    throw ScimException.invalidSyntax(`'schemas' must include ${registry.getResourceType(type).schema}`);
  }
}

function checkRequired(registry: SchemaRegistry, type: ResourceTypeName, doc: ScimObject): void {
  // RFC 7643 §6: a resource of the type MUST include a required schema extension.
  for (const ext of registry.getResourceType(type).schemaExtensions) {
    if (ext.required && !isPlainObject(doc[ext.schema])) {
      throw ScimException.invalidValue(`Schema extension '${ext.schema}' is required`);
    }
  }
  for (const uri of registry.schemaUrisOf(type)) {
    const schema = registry.getSchema(uri);
    const isBase = uri === registry.getResourceType(type).schema;
    const source = isBase ? doc : doc[uri];
    if (!schema || !isPlainObject(source)) continue;
    for (const attr of schema.attributes) {
      if (attr.required && isUnassigned(source[attr.name])) {
        throw ScimException.invalidValue(`Attribute '${attr.name}' is required`);
      }
      if (attr.required && typeof source[attr.name] === 'string' && String(source[attr.name]).trim() === '') {
        throw ScimException.invalidValue(`Attribute '${attr.name}' must not be empty`);
      }
    }
  }
}

/**
 * An extension object without a `schemas` key naming only that extension (Python's scim2-models
 * sends one), unless strict: there it stays an unknown attribute of the extension.
 */
function withoutOwnSchemas(value: ScimObject, schemaUri: string, ctx: Context): ScimObject {
  if (ctx.options.strict) return value;
  const key = Object.keys(value).find((k) => k.toLowerCase() === 'schemas');
  if (key === undefined || !namesOnly(value[key], schemaUri)) return value;
  const { [key]: _own, ...rest } = value;
  return rest;
}

/**
 * Splits a request body into base-schema and extension parts. Keys are matched
 * case-insensitively (RFC 7643 §2.1); extension attributes arrive either as an
 * object under the extension URN (RFC 7643 §3.3) or as fully qualified keys.
 */
function partition(registry: SchemaRegistry, type: ResourceTypeName, body: ScimObject, ctx: Context) {
  const base = registry.getResourceType(type).schema;
  const parts = new Map<string, ScimObject>([[base, {}]]);
  const part = (uri: string): ScimObject => parts.get(uri) ?? parts.set(uri, {}).get(uri)!;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const split = key.includes(':') ? registry.splitUrn(type, key) : undefined;
    if (split && split.rest === '') {
      if (!isPlainObject(value)) {
        if (!isUnassigned(value)) throw ScimException.invalidValue(`'${split.schemaUri}' must be an object`);
        continue;
      }
      Object.assign(part(split.schemaUri), withoutOwnSchemas(value, split.schemaUri, ctx));
    } else if (split) {
      part(split.schemaUri)[split.rest] = value;
    } else if (key.includes(':')) {
      // Unregistered URNs (Entra's own extension schemas) are ignored, not fatal.
      noteUnknown(ctx, key);
    } else {
      part(base)[key] = value;
    }
  }
  return parts;
}

/**
 * Validates a POST/PUT body, or the result of a PATCH, against the registry: types,
 * required attributes, multi-valued shape and `primary`, the input limits (values per
 * attribute, bytes per string); drops readOnly input; extracts writeOnly values.
 */
export function validateResource(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  body: unknown,
  options: ValidationOptions,
): ValidatedResource {
  if (!isPlainObject(body)) throw ScimException.invalidSyntax('Request body must be a JSON object');
  const schemasKey = Object.keys(body).find((k) => k.toLowerCase() === 'schemas');
  checkSchemas(registry, type, schemasKey === undefined ? undefined : body[schemasKey]);
  const definition = registry.getResourceType(type);
  const members = definition.storage.members;
  const ctx: Context = {
    type,
    setBased: members?.setBased ? members.attribute : undefined,
    options,
    unknown: [],
    writeOnly: {},
  };
  const base = definition.schema;
  const doc: ScimObject = { schemas: [base] };
  for (const [uri, input] of partition(registry, type, body, ctx)) {
    const schema = registry.getSchema(uri);
    if (!schema) continue;
    if (uri === base) {
      const common = validateAttributes(ctx, registry.commonAttributeDefinitions(), pickCommon(registry, input), '');
      Object.assign(doc, common, validateAttributes(ctx, schema.attributes, omitCommon(registry, input), ''));
      continue;
    }
    const ext = validateAttributes(ctx, schema.attributes, input, `${uri}:`);
    if (Object.keys(ext).length > 0) {
      doc[uri] = ext;
      (doc['schemas'] as string[]).push(uri);
    }
  }
  checkRequired(registry, type, doc);
  return { doc, writeOnly: ctx.writeOnly, unknownAttributes: ctx.unknown };
}

function pickCommon(registry: SchemaRegistry, input: ScimObject): ScimObject {
  return Object.fromEntries(Object.entries(input).filter(([k]) => registry.isCommonAttribute(k)));
}

function omitCommon(registry: SchemaRegistry, input: ScimObject): ScimObject {
  return Object.fromEntries(Object.entries(input).filter(([k]) => !registry.isCommonAttribute(k)));
}
