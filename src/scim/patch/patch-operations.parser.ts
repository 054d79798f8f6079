import { canonicalKeys } from '../canonical-keys.js';
import { ScimException } from '../errors/scim.exception.js';
import { checkOperationCount } from '../resource/input-limits.js';
import { isPlainObject } from '../resource/scim-resource.js';
import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import { parsePatchPath } from './patch-path.parser.js';
import type { PatchOpName, PatchPath } from './patch.types.js';

/** One checked entry of a PatchOp request's "Operations" (RFC 7644 §3.5.2). */
export interface PatchOperation {
  readonly op: PatchOpName;
  /** Absent for a pathless add/replace, whose value is an object of attributes. */
  readonly path?: PatchPath;
  /** `undefined` only for remove without value; add and replace always carry the member. */
  readonly value: unknown;
}

const OP_NAMES: ReadonlyMap<string, PatchOpName> = new Map([
  ['add', 'add'],
  ['remove', 'remove'],
  ['replace', 'replace'],
]);

/**
 * Checks the "Operations" array as it came from the request body, before anything is applied:
 * an array of at least one object, each with `op`, a `path` where required and a `value` where
 * required; paths are parsed against the schemas here too, so a bad last operation costs nothing.
 *
 * Op names and member names ("Op", "PATH") are matched case-insensitively in both modes:
 * RFC 7643 §2.1 makes attribute names case-insensitive, the op keywords are not attribute
 * values a resource stores, and Entra sends "Add"/"Replace"/"Remove", so
 * rejecting them would protect nothing. An operation naming one member twice ("path" and
 * "Path") is invalidSyntax rather than one of them silently winning.
 */
export function parsePatchOperations(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  operations: unknown,
  lenient: boolean,
  maxOperations: number,
): PatchOperation[] {
  if (!Array.isArray(operations)) {
    throw ScimException.invalidSyntax('"Operations" must be an array of PATCH operations');
  }
  if (operations.length === 0) {
    throw ScimException.invalidSyntax('"Operations" must contain at least one operation (RFC 7644 §3.5.2)');
  }
  checkOperationCount(operations.length, { patchOperations: maxOperations });
  return operations.map((raw: unknown, index) => {
    try {
      return parseOperation(registry, type, raw, lenient);
    } catch (error) {
      throw withOperationIndex(error, index);
    }
  });
}

function parseOperation(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  raw: unknown,
  lenient: boolean,
): PatchOperation {
  if (!isPlainObject(raw)) throw ScimException.invalidSyntax('Each operation must be an object');
  const fields = canonicalKeys(raw, ['op', 'path', 'value']);
  const name = fields['op'];
  const op = typeof name === 'string' ? OP_NAMES.get(name.toLowerCase()) : undefined;
  if (!op) {
    throw ScimException.invalidSyntax(`"op" must be "add", "remove" or "replace"; got ${JSON.stringify(name ?? null)}`);
  }
  const pathText = pathOf(fields['path'], lenient);
  // RFC 7644 §3.5.2.2: remove without path SHALL fail with noTarget.
  if (op === 'remove' && pathText === undefined) throw ScimException.noTarget('"remove" needs a "path"');
  // RFC 7644 §3.5.2.1, §3.5.2.3: add and replace MUST carry "value" (null is a value: unassigned).
  if (op !== 'remove' && !Object.hasOwn(fields, 'value')) throw ScimException.invalidSyntax(`"${op}" needs a "value"`);
  const path = pathText === undefined ? undefined : parsePatchPath(registry, type, pathText, lenient);
  return { op, ...(path ? { path } : {}), value: fields['value'] };
}

/**
 * The path text, or undefined when there is none. null means absent (RFC 7643 §2.5); an empty
 * string is a malformed path in strict mode and, leniently, the missing path some clients mean.
 */
function pathOf(path: unknown, lenient: boolean): string | undefined {
  if (path === undefined || path === null) return undefined;
  if (typeof path !== 'string') throw ScimException.invalidSyntax('"path" must be a string');
  if (path.trim() === '' && lenient) return undefined;
  return path;
}

const REBUILD: Readonly<Record<string, (detail: string) => ScimException>> = {
  invalidPath: ScimException.invalidPath,
  noTarget: ScimException.noTarget,
  invalidValue: ScimException.invalidValue,
  invalidSyntax: ScimException.invalidSyntax,
  mutability: ScimException.mutability,
  invalidFilter: ScimException.invalidFilter,
};

/** The same error with the failing operation named, so a client can tell which of its many failed. */
export function withOperationIndex(error: unknown, index: number): unknown {
  if (!(error instanceof ScimException) || error.scimType === undefined) return error;
  const rebuild = REBUILD[error.scimType];
  return rebuild ? rebuild(`Operations[${index}]: ${error.detail}`) : error;
}
