import { ScimException } from '../errors/scim.exception.js';
import { assertNever } from '../filter/filter.ast.js';
import type { ValidatedFilter } from '../filter/validate-filter.js';
import { isUnassigned } from '../resource/attribute-coercion.js';
import { isPlainObject } from '../resource/scim-resource.js';
import type { MemberDeltaBuilder } from './member-delta.builder.js';
import type { ResourceTypeDefinition } from '../schema/resource-type.definition.js';
import type { MemberInput, MemberType, PatchOpName, PatchPath, PatchTarget } from './patch.types.js';

/**
 * Whether a path names the type's members attribute (its definition's member semantics, RFC 7643 §4.2),
 * which live in their own table, never in the document.
 */
export function isMembersTarget(
  target: PatchTarget,
  type: Pick<ResourceTypeDefinition, 'schema' | 'storage'>,
): boolean {
  const members = type.storage.members;
  return members !== undefined && target.schemaUri === type.schema && target.attribute.name === members.attribute;
}

/**
 * Records an operation on Group `members` (RFC 7644 §3.5.2, examples in §3.5.2.1–§3.5.2.3):
 * add appends, replace without filter replaces the whole set (Okta), remove without filter
 * removes all, `members[value eq "a" or value eq "b"]` removes those ids and any other filter is
 * kept for the repository. Lenient `remove` with a value list removes only the listed members
 * (what Entra means by it). Members are added or removed whole: RFC 7643 §4.2 makes their
 * sub-attributes immutable (and `display` is readOnly), so every other form is a mutability error.
 */
export function applyMemberOperation(
  builder: MemberDeltaBuilder,
  op: PatchOpName,
  path: Exclude<PatchPath, { kind: 'schema' }>,
  value: unknown,
  lenient: boolean,
): void {
  const { target } = path;
  if (target.subAttribute || (path.kind === 'valuePath' && op !== 'remove')) {
    throw ScimException.mutability(
      `Path "${path.text}": members are added or removed whole; their sub-attributes cannot be modified`,
    );
  }
  if (path.kind === 'valuePath') {
    removeMatching(builder, path.filter);
    return;
  }
  switch (op) {
    case 'add':
      if (!isUnassigned(value)) builder.add(toMemberInputs(value, lenient));
      return;
    case 'replace':
      builder.replace(isUnassigned(value) ? [] : toMemberInputs(value, lenient));
      return;
    case 'remove':
      if (lenient && !isUnassigned(value)) builder.removeIds(toMemberInputs(value, lenient).map((m) => m.value));
      else builder.removeAll();
      return;
    default:
      assertNever(op);
  }
}

function removeMatching(builder: MemberDeltaBuilder, filter: ValidatedFilter): void {
  const ids = valueEqualityIds(filter);
  if (ids) builder.removeIds(ids);
  else builder.removeWhere(filter);
}

/** `value eq "a"`, `value eq "a" or value eq "b"` …: plain id lists, the common IdP removal. */
function valueEqualityIds(filter: ValidatedFilter): string[] | undefined {
  switch (filter.kind) {
    case 'compare': {
      const name = filter.attribute.subAttribute?.name;
      return filter.op === 'eq' && name === 'value' && typeof filter.value === 'string' ? [filter.value] : undefined;
    }
    case 'or': {
      const left = valueEqualityIds(filter.left);
      const right = valueEqualityIds(filter.right);
      return left && right ? [...left, ...right] : undefined;
    }
    case 'present':
    case 'and':
    case 'not':
    case 'valuePath':
      return undefined;
    default:
      return assertNever(filter);
  }
}

/** `[{value, type?, display?, $ref?}, …]`; display and $ref are the server's to derive. */
export function toMemberInputs(value: unknown, lenient: boolean): MemberInput[] {
  if (!Array.isArray(value) && !lenient) {
    throw ScimException.invalidValue("Attribute 'members' is multi-valued; its value must be an array");
  }
  const items = (Array.isArray(value) ? value : [value]).filter((item) => !isUnassigned(item));
  return items.map((item) => toMemberInput(item, lenient));
}

const MEMBER_KEYS = new Set(['value', 'type', 'display', '$ref']);

/** RFC 7643 §4.2 canonical values of members.type, matched case-insensitively. */
const MEMBER_TYPES = new Map<string, MemberType>([
  ['user', 'User'],
  ['group', 'Group'],
]);

function toMemberInput(item: unknown, lenient: boolean): MemberInput {
  // A bare id stands for {value: id} in lenient mode, as for Entra's `manager`.
  const member = typeof item === 'string' && lenient ? { value: item } : item;
  if (!isPlainObject(member)) throw ScimException.invalidValue('Every member must be an object with a "value"');
  const fields = new Map(Object.entries(member).map(([k, v]) => [k.toLowerCase(), v]));
  const unknown = [...fields.keys()].filter((k) => !MEMBER_KEYS.has(k));
  if (!lenient && unknown.length > 0) {
    throw ScimException.invalidValue(`Attribute 'members' has no sub-attribute '${unknown[0]}'`);
  }
  const id = fields.get('value');
  if (typeof id !== 'string' || id === '') throw ScimException.invalidValue("Every member needs a non-empty 'value'");
  // As for stored strings (checkStringValue): PostgreSQL cannot take U+0000 even as a parameter.
  if (id.includes('\u0000'))
    throw ScimException.invalidValue("Attribute 'members.value' must not contain the NUL character (U+0000)");
  const type = fields.get('type');
  if (isUnassigned(type)) return { value: id };
  const canonical = typeof type === 'string' ? MEMBER_TYPES.get(type.toLowerCase()) : undefined;
  if (!canonical) {
    throw ScimException.invalidValue(`Member ${id} has type ${JSON.stringify(type)}; expected "User" or "Group"`);
  }
  return { value: id, type: canonical };
}
