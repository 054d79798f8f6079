import { ScimException } from '../errors/scim.exception.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { checkValueCount } from '../resource/input-limits.js';
import { isPlainObject, type ScimObject } from '../resource/scim-resource.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { deepEqual } from './json-value.util.js';
import type { MemberDeltaBuilder } from './member-delta.builder.js';
import type { PatchOptions, PatchTarget } from './patch.types.js';

/** The state one PATCH request works on: a private copy of the resource and the member delta. */
export interface PatchContext {
  readonly registry: SchemaRegistry;
  readonly type: ResourceTypeName;
  readonly lenient: boolean;
  readonly limits: PatchOptions['limits'];
  readonly doc: ScimObject;
  readonly members: MemberDeltaBuilder;
  /** Values that `add` and lenient `remove` have compared with stored ones so far. */
  compared: number;
}

/**
 * `add` compares each value with the stored ones (RFC 7644 §3.5.2.1: no duplicates) and a
 * lenient `remove` each stored value with each template, so one request may bring at most
 * MAX_VALUES_PER_ATTRIBUTE of them in total: with the stored values bounded too, the work
 * of a request stays bounded however many operations it splits them into.
 */
export function chargeCompared(ctx: PatchContext, path: string, count: number): void {
  ctx.compared += count;
  if (ctx.compared > ctx.limits.valuesPerAttribute) {
    throw ScimException.invalidValue(
      `The operations add or remove ${ctx.compared} values of multi-valued attributes (reached at '${path}'); ` +
        `the limit is ${ctx.limits.valuesPerAttribute} per request (MAX_VALUES_PER_ATTRIBUTE)`,
    );
  }
}

/** A multi-valued attribute may not grow past MAX_VALUES_PER_ATTRIBUTE at any step (checked again on the result). */
export function checkGrowth(ctx: PatchContext, path: string, values: readonly unknown[]): void {
  checkValueCount(path, values.length, ctx.limits);
}

/** Where a schema's attributes live: the root for core and common ones, else the extension object (RFC 7643 §3.3). */
export function containerOf(ctx: PatchContext, schemaUri: string, create: boolean): ScimObject | undefined {
  if (schemaUri === '' || schemaUri === ctx.registry.getResourceType(ctx.type).schema) return ctx.doc;
  const existing = ctx.doc[schemaUri];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const created: ScimObject = {};
  ctx.doc[schemaUri] = created;
  return created;
}

/** Whether the target is, or lies inside, a readOnly attribute. */
export function isReadOnlyTarget(target: PatchTarget): boolean {
  return target.attribute.mutability === 'readOnly' || target.subAttribute?.mutability === 'readOnly';
}

/** RFC 7644 §3.5.2: operations on readOnly attributes (id, meta, groups, members.display…) fail. */
export function assertWritable(target: PatchTarget): void {
  if (isReadOnlyTarget(target)) {
    throw ScimException.mutability(`Attribute '${target.path}' is readOnly and cannot be modified`);
  }
}

/** RFC 7643 §7 immutable: may be set while unassigned, never changed afterwards. */
export function assertMayChange(def: AttributeDefinition, current: unknown, next: unknown, path: string): void {
  if (def.mutability === 'immutable' && !isUnassigned(current) && !deepEqual(current, next)) {
    throw ScimException.mutability(`Attribute '${path}' is immutable and already set`);
  }
}

/**
 * RFC 7644 §3.5.2.2: unassigning a required attribute fails with mutability, as does clearing an
 * immutable one that has a value. A writeOnly value is never in the stored document, so a PATCH
 * cannot express clearing it; that is refused rather than silently ignored (a 2xx would claim a
 * change that did not happen).
 */
export function assertMayUnassign(def: AttributeDefinition, current: unknown, path: string): void {
  if (def.required) throw ScimException.mutability(`Attribute '${path}' is required and cannot be removed`);
  if (def.mutability === 'writeOnly') {
    throw ScimException.mutability(`Attribute '${path}' is writeOnly; replace it instead of removing it`);
  }
  if (def.mutability === 'immutable' && !isUnassigned(current)) {
    throw ScimException.mutability(`Attribute '${path}' is immutable and already set`);
  }
}

/** Sets or, for an empty value, deletes an attribute of a container. */
export function store(container: ScimObject, name: string, value: unknown): void {
  const empty = isUnassigned(value) || (isPlainObject(value) && Object.keys(value).length === 0);
  if (empty) delete container[name];
  else container[name] = value;
}
