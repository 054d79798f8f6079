import { ScimException } from '../errors/scim.exception.js';
import { assertNever } from '../filter/filter.ast.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject, type ScimObject } from '../resource/scim-resource.js';
import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { deepEqual } from './json-value.util.js';
import { MemberDeltaBuilder } from './member-delta.builder.js';
import { applyMemberOperation, isMembersTarget } from './member-operation.js';
import { assertMayUnassign, containerOf, isReadOnlyTarget, type PatchContext } from './patch-context.js';
import { parsePatchOperations, withOperationIndex, type PatchOperation } from './patch-operations.parser.js';
import { expandObjectValue } from './pathless-value.expander.js';
import type { PatchOpName, PatchOptions, PatchPath, PatchResult } from './patch.types.js';
import { removeAttribute, removeValuePath } from './remove-attribute.js';
import { writeAttribute } from './write-attribute.js';
import { writeValuePath } from './write-value-path.js';

export type { MemberDelta, MemberInput, PatchOptions, PatchResult } from './patch.types.js';

/** Whether a value came as `path` of its own or as a key inside an object value. */
type Origin = 'path' | 'value';

/**
 * Applies a PatchOp request's "Operations" (RFC 7644 §3.5.2) to a stored resource document:
 * canonical attribute names, extension objects under their URN, `schemas`, and for Groups no
 * `members`. Operations run in order, each on the result of the previous one, on a private deep
 * copy; the first failure throws and nothing is returned, so the request is all-or-nothing
 * (§3.5.2 "atomic"). Pure: no I/O, `resource` is never modified.
 *
 * The caller must still validate the result as a whole (validateResource: required attributes,
 * types, one primary per attribute), move writeOnly values out of it, and, for Groups, apply
 * `members` to the member table (see MemberDelta for the order).
 */
export function applyPatch(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  resource: ScimObject,
  operations: unknown,
  options: PatchOptions,
): PatchResult {
  const parsed = parsePatchOperations(registry, type, operations, options.lenient, options.limits.patchOperations);
  const ctx: PatchContext = {
    registry,
    type,
    lenient: options.lenient,
    limits: options.limits,
    doc: structuredClone(resource),
    members: new MemberDeltaBuilder(),
    compared: 0,
  };
  parsed.forEach((operation, index) => {
    try {
      applyOperation(ctx, operation);
    } catch (error) {
      throw withOperationIndex(error, index);
    }
  });
  syncExtensionSchemas(ctx, resource);
  const result = { resource: ctx.doc, changed: !deepEqual(resource, ctx.doc) };
  return ctx.members.touched ? { ...result, members: ctx.members.build() } : result;
}

function applyOperation(ctx: PatchContext, operation: PatchOperation): void {
  if (operation.path) {
    applyAt(ctx, operation.op, operation.path, operation.value, 'path');
    return;
  }
  // The parser lets only add and replace through without a path (§3.5.2.2 remove → noTarget).
  for (const entry of expandObjectValue(ctx.registry, ctx.type, operation.value, ctx.lenient)) {
    applyAt(ctx, operation.op, entry.path, entry.value, 'value');
  }
}

function applyAt(ctx: PatchContext, op: PatchOpName, path: PatchPath, value: unknown, origin: Origin): void {
  switch (path.kind) {
    case 'schema':
      applySchema(ctx, op, path, value);
      return;
    case 'attribute':
    case 'valuePath':
      if (isMembersTarget(path.target, ctx.registry.getResourceType(ctx.type))) {
        applyMemberOperation(ctx.members, op, path, value, ctx.lenient);
      } else if (origin === 'value' && isReadOnlyTarget(path.target)) {
        skipReadOnly(ctx, path, value);
      } else {
        applyToDocument(ctx, op, path, value);
      }
      return;
    default:
      assertNever(path);
  }
}

function applyToDocument(
  ctx: PatchContext,
  op: PatchOpName,
  path: Exclude<PatchPath, { kind: 'schema' }>,
  value: unknown,
): void {
  if (op === 'remove') {
    if (path.kind === 'valuePath') removeValuePath(ctx, path.target, path.filter);
    else removeAttribute(ctx, path.target, value);
  } else if (path.kind === 'valuePath') {
    writeValuePath({ ctx, op, target: path.target, filter: path.filter, text: path.text }, value);
  } else {
    writeAttribute(ctx, op, path.target, value);
  }
}

/**
 * A readOnly attribute inside an object value (Okta's pathless replace carries `id`). RFC 7644
 * §3.5.2 forbids modifying it; sending the value it already has modifies nothing. Lenient mode
 * ignores it as PUT does (§3.5.1), because the stored document does not hold `id` or `meta` and
 * so cannot show the value to be unchanged. An explicit `path` to it always fails.
 */
function skipReadOnly(ctx: PatchContext, path: Exclude<PatchPath, { kind: 'schema' }>, value: unknown): void {
  if (ctx.lenient) return;
  const { target } = path;
  const current = containerOf(ctx, target.schemaUri, false)?.[target.attribute.name];
  const same = target.subAttribute
    ? isPlainObject(current) && deepEqual(current[target.subAttribute.name], value)
    : deepEqual(current, value);
  if (path.kind === 'attribute' && same) return;
  throw ScimException.mutability(`Attribute '${target.path}' is readOnly and cannot be modified`);
}

/** `urn:…:enterprise:2.0:User` as path: its value is an object of the extension's attributes. */
function applySchema(
  ctx: PatchContext,
  op: PatchOpName,
  path: Extract<PatchPath, { kind: 'schema' }>,
  value: unknown,
): void {
  const isBase = path.schemaUri === ctx.registry.getResourceType(ctx.type).schema;
  if (op === 'remove' || (op === 'replace' && isUnassigned(value))) {
    if (isBase)
      throw ScimException.invalidPath(`Path "${path.text}" names the whole resource, which cannot be removed`);
    removeExtension(ctx, path.schemaUri);
    return;
  }
  if (isUnassigned(value)) return;
  for (const entry of expandObjectValue(ctx.registry, ctx.type, value, ctx.lenient, path.schemaUri)) {
    applyAt(ctx, op, entry.path, entry.value, 'value');
  }
}

function removeExtension(ctx: PatchContext, schemaUri: string): void {
  const extension = ctx.registry.getResourceType(ctx.type).schemaExtensions.find((e) => e.schema === schemaUri);
  if (extension?.required) throw ScimException.mutability(`Extension ${schemaUri} is required and cannot be removed`);
  const data = containerOf(ctx, schemaUri, false);
  for (const attribute of ctx.registry.getSchema(schemaUri)?.attributes ?? []) {
    const current = data?.[attribute.name];
    if (attribute.required || !isUnassigned(current))
      assertMayUnassign(attribute, current, `${schemaUri}:${attribute.name}`);
  }
  delete ctx.doc[schemaUri];
}

/**
 * `schemas` follows the extension data (RFC 7644 §3.5.2: adding an extension attribute implies
 * its URN): an extension object left empty is dropped, a URN is added when its data appears and
 * removed when the data that was there is gone. Untouched otherwise, so a no-op stays unchanged.
 */
function syncExtensionSchemas(ctx: PatchContext, original: ScimObject): void {
  const { doc } = ctx;
  const extensions = ctx.registry.getResourceType(ctx.type).schemaExtensions.map((e) => e.schema);
  const base = ctx.registry.getResourceType(ctx.type).schema;
  let schemas = Array.isArray(doc['schemas']) ? [...(doc['schemas'] as unknown[])] : [base];
  const same = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
  for (const uri of extensions) {
    const data = doc[uri];
    if (isPlainObject(data) && Object.keys(data).length === 0) delete doc[uri];
    if (isPlainObject(doc[uri])) {
      if (!schemas.some((s) => same(s, uri))) schemas.push(uri);
    } else if (original[uri] !== undefined) {
      schemas = schemas.filter((s) => !same(s, uri));
    }
  }
  if (!deepEqual(schemas, doc['schemas']) && (Array.isArray(doc['schemas']) || schemas.length > 1)) {
    doc['schemas'] = schemas;
  }
}
