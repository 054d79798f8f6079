import { ScimException } from '../scim/errors/scim.exception.js';
import { endpointSegment, type ResourceTypeDefinition } from '../scim/schema/resource-type.definition.js';
import type { SchemaRegistry } from '../scim/schema/schema-registry.js';
import { collectReferences } from './bulk-references.js';
import type { BulkOperation } from './bulk-request.js';

/** The longest id a path may name (as ResourceIdDto bounds a single call's). */
const MAX_ID_LENGTH = 200;

/** An operation with its target: the resource type its path names, the id, and the bulkIds it refers to. */
export interface PlannedOperation {
  readonly op: BulkOperation;
  readonly type?: ResourceTypeDefinition;
  /** The id of a PUT, PATCH or DELETE as sent: it may be a `bulkId:` reference. */
  readonly id?: string;
  readonly references: ReadonlySet<string>;
  /** Why it cannot run, known before anything runs. */
  readonly error?: ScimException;
}

/** The operation that defines each bulkId: the first POST naming it (a later one is refused as a duplicate). */
export function bulkIdDefiners(operations: readonly BulkOperation[]): Map<string, number> {
  const definers = new Map<string, number>();
  for (const op of operations) {
    if (op.method === 'POST' && op.bulkId !== undefined && !definers.has(op.bulkId)) definers.set(op.bulkId, op.index);
  }
  return definers;
}

/**
 * Resolves an operation's path against the directory's registered resource types (case-
 * insensitively, as the endpoint rewriter does for single calls): POST to the endpoint,
 * PUT/PATCH/DELETE to one resource, as RFC 7644 §3.7 requires, with the status a single
 * call to that path would get otherwise. A reference to a bulkId no POST of the request
 * defines is a 409 naming it.
 */
export function planOperation(
  op: BulkOperation,
  registry: SchemaRegistry,
  definers: ReadonlyMap<string, number>,
): PlannedOperation {
  const references = collectReferences(op.data, new Set<string>());
  const base = { op, references };
  if (op.invalid) return { ...base, error: op.invalid };
  const path = op.path ?? '';
  const segments = path.replace(/^\//, '').split('/');
  const type = registry
    .listResourceTypes()
    .find((t) => endpointSegment(t).toLowerCase() === (segments[0] ?? '').toLowerCase());
  if (!path.startsWith('/') || !type || segments.length > 2 || /[?#]/.test(path)) {
    return { ...base, error: ScimException.routeNotFound(op.method, path) };
  }
  if (op.method === 'POST') {
    if (segments.length === 1) return { ...base, type, error: unknownReference(references, definers) };
    return { ...base, error: ScimException.methodNotAllowed(op.method, path, ['GET', 'PUT', 'PATCH', 'DELETE']) };
  }
  const id = segments[1] ?? '';
  if (id === '') return { ...base, error: ScimException.methodNotAllowed(op.method, path, ['GET', 'POST']) };
  if (id.length > MAX_ID_LENGTH) return { ...base, error: ScimException.invalidValue(`The id in ${path} is too long`) };
  collectReferences(id, references);
  return { ...base, type, id, error: unknownReference(references, definers) };
}

function unknownReference(
  references: ReadonlySet<string>,
  definers: ReadonlyMap<string, number>,
): ScimException | undefined {
  const unknown = [...references].find((bulkId) => !definers.has(bulkId));
  return unknown === undefined
    ? undefined
    : ScimException.conflict(`bulkId '${unknown}' is not defined by any POST operation of this request`);
}
