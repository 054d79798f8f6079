import type { AttributeDefinition } from '../schema/attribute-definition.js';
import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { ScimException } from '../errors/scim.exception.js';
import { isPlainObject, type ScimObject } from './scim-resource.js';
import { matchesElement } from '../filter/element-filter.evaluator.js';
import { parseFilter } from '../filter/filter.parser.js';
import { validateFilter, type ValidatedFilter } from '../filter/validate-filter.js';

/**
 * A parsed `attributes` / `excludedAttributes` request (RFC 7644 §3.9). Paths are
 * canonical (`name.givenName`, `urn:…:enterprise:2.0:User:manager.value`) and
 * lower-cased for matching; a bare extension URN selects the whole extension.
 */
export interface Projection {
  readonly mode: 'default' | 'include' | 'exclude';
  readonly paths: ReadonlySet<string>;
  /**
   * `attributes=emails[type eq "work"]`: only the matching elements are returned. Not in
   * RFC 7644 §3.9's grammar, but Microsoft's reference server and test collection use it.
   */
  readonly elementFilters?: ReadonlyMap<string, ValidatedFilter>;
}

export const DEFAULT_PROJECTION: Projection = { mode: 'default', paths: new Set() };

/** `emails[type eq "work"]` in an attributes list: the attribute path and its element filter. */
function withElementFilter(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  raw: string,
): { path: string; filter: ValidatedFilter } | undefined {
  if (!raw.includes('[')) return undefined;
  const node = validateFilter(parseFilter(raw), registry, type);
  if (node.kind !== 'valuePath') throw ScimException.invalidValue(`'${raw}' is not an attribute name`);
  return { path: node.attribute.path.toLowerCase(), filter: node.filter };
}

function splitList(value: string | readonly string[] | undefined): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((s: string) => s.trim()).filter((s: string) => s.length > 0);
}

function canonicalPath(registry: SchemaRegistry, type: ResourceTypeName, raw: string): string | undefined {
  const split = raw.includes(':') ? registry.splitUrn(type, raw) : undefined;
  if (split && split.rest === '') return split.schemaUri;
  return registry.resolveText(type, raw)?.path;
}

/**
 * Parses the two projection parameters. Both at once is 400 invalidValue (RFC 7644
 * §3.9 makes them alternatives). Names the schemas do not define select nothing.
 */
export function parseProjection(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  attributes?: string | readonly string[],
  excludedAttributes?: string | readonly string[],
): Projection {
  const include = splitList(attributes);
  const exclude = splitList(excludedAttributes);
  if (include.length > 0 && exclude.length > 0) {
    throw ScimException.invalidValue("'attributes' and 'excludedAttributes' cannot be used together");
  }
  const mode = include.length > 0 ? 'include' : exclude.length > 0 ? 'exclude' : 'default';
  const paths = new Set<string>();
  const elementFilters = new Map<string, ValidatedFilter>();
  for (const raw of mode === 'include' ? include : exclude) {
    const filtered = mode === 'include' ? withElementFilter(registry, type, raw) : undefined;
    if (filtered) {
      paths.add(filtered.path);
      elementFilters.set(filtered.path, filtered.filter);
      continue;
    }
    const path = canonicalPath(registry, type, raw);
    if (path) paths.add(path.toLowerCase());
  }
  return { mode, paths, ...(elementFilters.size > 0 ? { elementFilters } : {}) };
}

/**
 * Whether the projection returns a top-level attribute of the type's core schema by name: a
 * computed attribute (`groups`, `members`) is read only then.
 */
export function projectionReturns(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  name: string,
  projection: Projection,
): boolean {
  const resolved = registry.resolve(type, { name });
  return resolved !== undefined && projectionIncludes(projection, resolved.attribute, resolved.path);
}

/** Whether the projection returns any part of a top-level attribute (so it must be loaded at all). */
export function projectionIncludes(projection: Projection, def: AttributeDefinition, path: string): boolean {
  if (def.returned === 'never') return false;
  if (def.returned === 'always') return true;
  const lower = path.toLowerCase();
  const named = [...projection.paths].some((p) => p === lower || p.startsWith(`${lower}.`));
  switch (projection.mode) {
    case 'default':
      return def.returned === 'default';
    case 'include':
      return named;
    case 'exclude':
      return def.returned === 'default' && !projection.paths.has(lower);
  }
}

function projectValue(projection: Projection, def: AttributeDefinition, value: unknown, path: string): unknown {
  const subs = def.subAttributes;
  if (!subs) return value;
  // The common case (a huge group's members, by default) keeps every element as it is: no copies.
  if (projection.mode === 'default' && subs.every((s) => s.returned === 'default' || s.returned === 'always'))
    return value;
  const lower = path.toLowerCase();
  const wholeNamed = projection.paths.has(lower);
  const keep = (sub: AttributeDefinition): boolean => {
    if (sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    const subPath = `${lower}.${sub.name.toLowerCase()}`;
    if (projection.mode === 'exclude') return sub.returned === 'default' && !projection.paths.has(subPath);
    if (projection.mode === 'include' && !wholeNamed) return projection.paths.has(subPath);
    return sub.returned === 'default' || projection.paths.has(subPath);
  };
  const pick = (item: unknown): unknown => {
    if (!isPlainObject(item)) return item;
    const out: ScimObject = {};
    for (const sub of subs) if (sub.name in item && keep(sub)) out[sub.name] = item[sub.name];
    return out;
  };
  if (Array.isArray(value)) {
    const filter = projection.elementFilters?.get(lower);
    const items = filter ? value.filter((item) => matchesElement(filter, item)) : value;
    return items.map(pick).filter((v) => !isPlainObject(v) || Object.keys(v).length > 0);
  }
  const picked = pick(value);
  return isPlainObject(picked) && Object.keys(picked).length === 0 ? undefined : picked;
}

function projectAttributes(
  projection: Projection,
  attributes: readonly AttributeDefinition[],
  source: ScimObject,
  prefix: string,
  wholeSelected: boolean,
): ScimObject {
  const out: ScimObject = {};
  const effective: Projection = wholeSelected ? DEFAULT_PROJECTION : projection;
  for (const def of attributes) {
    if (!(def.name in source)) continue;
    const path = `${prefix}${def.name}`;
    if (!projectionIncludes(effective, def, path)) continue;
    const value = projectValue(effective, def, source[def.name], path);
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) out[def.name] = value;
  }
  return out;
}

/**
 * Applies RFC 7643 §7 `returned` and RFC 7644 §3.9 projection to a full resource:
 * `always` is kept, `never` dropped, `request` only when named, `default` unless
 * the request says otherwise. `schemas` and `id` are always returned.
 */
export function projectResource(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  resource: ScimObject,
  projection: Projection,
): ScimObject {
  const base = registry.getResourceType(type).schema;
  const baseSchema = registry.getSchema(base);
  const attributes = [...registry.commonAttributeDefinitions(), ...(baseSchema?.attributes ?? [])];
  const out: ScimObject = { schemas: resource['schemas'] };
  Object.assign(out, projectAttributes(projection, attributes, resource, '', false));
  const schemas: string[] = [base];
  for (const uri of registry.schemaUrisOf(type).slice(1)) {
    const ext = resource[uri];
    const schema = registry.getSchema(uri);
    if (!isPlainObject(ext) || !schema) continue;
    const whole = projection.mode === 'include' && projection.paths.has(uri.toLowerCase());
    const excludedWhole = projection.mode === 'exclude' && projection.paths.has(uri.toLowerCase());
    if (excludedWhole) continue;
    const projected = projectAttributes(projection, schema.attributes, ext, `${uri}:`, whole);
    if (Object.keys(projected).length > 0) {
      out[uri] = projected;
      schemas.push(uri);
    }
  }
  out['schemas'] = schemas;
  // meta reads best last, as in the RFC 7643 §8 examples.
  if ('meta' in out) {
    const { meta, ...rest } = out;
    return { ...rest, meta };
  }
  return out;
}
