import { ScimException } from '../errors/scim.exception.js';
import type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  Returned,
  SchemaDefinition,
} from './attribute-definition.js';

/**
 * A directory's custom extension schema (RFC 7643 §3.3) in the §7 representation, plus
 * the resource type it extends and whether that type requires it (§6 `schemaExtensions`).
 */
export interface ExtensionDefinition {
  readonly schema: SchemaDefinition;
  readonly resourceType: ExtendableType;
  readonly required: boolean;
}

export type ExtendableType = 'User' | 'Group';

/**
 * Bounds of a definition (every input has one): they keep a registry small enough to
 * compile per directory and every name short enough for SQL JSON paths and indexes.
 */
export const EXTENSION_LIMITS = Object.freeze({
  /** Extension schemas per directory. */
  schemasPerDirectory: 20,
  /** Attributes of one schema, and sub-attributes of one complex attribute. */
  attributes: 100,
  subAttributes: 50,
  /** Characters of the URN, of an attribute name, of `name`, of a description. */
  urnLength: 255,
  nameLength: 64,
  schemaNameLength: 128,
  descriptionLength: 1024,
  /** Entries of canonicalValues and referenceTypes, and characters of each. */
  listEntries: 100,
  listEntryLength: 256,
});

const EXTENSION_TYPES: readonly AttributeType[] = [
  'string',
  'boolean',
  'decimal',
  'integer',
  'dateTime',
  'reference',
  'complex',
];
const MUTABILITIES: readonly Mutability[] = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED: readonly Returned[] = ['always', 'never', 'default', 'request'];

/**
 * RFC 8141 URN (`urn:<NID>:<NSS>`), limited to the characters a JSON path label may hold
 * in SQL text (letters, digits, `:`, `.`, `_`, `-`) and not ending in a separator.
 */
const URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9:._-]*[a-z0-9_-]$/i;
/** RFC 7643 §2.1 ATTRNAME; `$ref` is the one name outside it (§2.3.7 sub-attributes). */
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
/** The IANA SCIM namespace (RFC 7643 §10.2): its URNs are the RFCs' own, never a directory's. */
const RESERVED_PREFIX = 'urn:ietf:params:scim:';

const ATTRIBUTE_KEYS = new Set([
  'name',
  'type',
  'multiValued',
  'description',
  'required',
  'caseExact',
  'mutability',
  'returned',
  'uniqueness',
  'canonicalValues',
  'referenceTypes',
  'subAttributes',
]);
const TOP_KEYS = new Set(['schemas', 'id', 'name', 'description', 'attributes', 'meta', 'resourceType', 'required']);

function bad(path: string, detail: string): ScimException {
  return ScimException.invalidValue(`Schema ${path}: ${detail}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(raw: Record<string, unknown>, key: string, path: string, max: number, fallback?: string): string {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'string') throw bad(path, `'${key}' must be a string`);
  if (value.length > max) throw bad(path, `'${key}' must have at most ${max} characters`);
  return value;
}

function flag(raw: Record<string, unknown>, key: string, path: string): boolean {
  const value = raw[key] ?? false;
  if (typeof value !== 'boolean') throw bad(path, `'${key}' must be true or false`);
  return value;
}

function oneOf<T extends string>(
  raw: Record<string, unknown>,
  key: string,
  path: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw bad(path, `'${key}' must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)?.slice(0, 40)})`);
  }
  return value as T;
}

function list(raw: Record<string, unknown>, key: string, path: string): string[] | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  const { listEntries, listEntryLength } = EXTENSION_LIMITS;
  if (!Array.isArray(value) || value.length > listEntries) {
    throw bad(path, `'${key}' must be an array of at most ${listEntries} strings`);
  }
  for (const item of value) {
    if (typeof item !== 'string' || item.length === 0 || item.length > listEntryLength) {
      throw bad(path, `'${key}' entries must be strings of 1 to ${listEntryLength} characters`);
    }
  }
  return value as string[];
}

function attributeName(raw: Record<string, unknown>, path: string): string {
  const name = raw['name'];
  if (typeof name !== 'string' || name.length > EXTENSION_LIMITS.nameLength || !ATTRIBUTE_NAME.test(name)) {
    throw bad(
      path,
      `'name' must be an attribute name (RFC 7643 §2.1: a letter, then letters, digits, '-' or '_'; at most ${EXTENSION_LIMITS.nameLength} characters)`,
    );
  }
  return name;
}

/** One attribute; `parent` is set for a sub-attribute (which may not be complex, §2.3.8). */
function parseAttribute(raw: unknown, path: string, parent?: string): AttributeDefinition {
  if (!isObject(raw)) throw bad(path, 'an attribute must be an object');
  const name = attributeName(raw, path);
  const at = parent ? `attribute '${parent}.${name}'` : `attribute '${name}'`;
  const unknownKey = Object.keys(raw).find((k) => !ATTRIBUTE_KEYS.has(k));
  if (unknownKey) throw bad(at, `unknown characteristic '${unknownKey}'`);
  const type = raw['type'];
  if (typeof type !== 'string' || !EXTENSION_TYPES.includes(type as AttributeType)) {
    throw bad(at, `unknown type ${JSON.stringify(type)?.slice(0, 40)}; one of ${EXTENSION_TYPES.join(', ')}`);
  }
  const attribute: AttributeDefinition = {
    name,
    type: type as AttributeType,
    multiValued: flag(raw, 'multiValued', at),
    description: text(raw, 'description', at, EXTENSION_LIMITS.descriptionLength, ''),
    required: flag(raw, 'required', at),
    caseExact: flag(raw, 'caseExact', at) || type === 'reference',
    mutability: oneOf(raw, 'mutability', at, MUTABILITIES, 'readWrite'),
    returned: oneOf(raw, 'returned', at, RETURNED, 'default'),
    uniqueness: oneOf(raw, 'uniqueness', at, ['none', 'server', 'global'], 'none'),
    ...optionalLists(raw, at, type as AttributeType),
    ...subAttributesOf(raw, at, name, type as AttributeType, parent),
  };
  checkCharacteristics(attribute, at, parent);
  return attribute;
}

function optionalLists(raw: Record<string, unknown>, at: string, type: AttributeType) {
  const canonicalValues = list(raw, 'canonicalValues', at);
  const referenceTypes = list(raw, 'referenceTypes', at);
  if (canonicalValues && type !== 'string') throw bad(at, "'canonicalValues' applies to string attributes only");
  if (referenceTypes && type !== 'reference') throw bad(at, "'referenceTypes' applies to reference attributes only");
  return { ...(canonicalValues ? { canonicalValues } : {}), ...(referenceTypes ? { referenceTypes } : {}) };
}

function subAttributesOf(
  raw: Record<string, unknown>,
  at: string,
  name: string,
  type: AttributeType,
  parent: string | undefined,
): { subAttributes?: AttributeDefinition[] } {
  const subs = raw['subAttributes'];
  if (type !== 'complex') {
    if (subs !== undefined) throw bad(at, "'subAttributes' applies to complex attributes only");
    return {};
  }
  // RFC 7643 §2.3.8: a complex attribute's sub-attributes are not complex.
  if (parent) throw bad(at, 'a complex attribute cannot be a sub-attribute of a complex attribute');
  const max = EXTENSION_LIMITS.subAttributes;
  if (!Array.isArray(subs) || subs.length === 0 || subs.length > max) {
    throw bad(at, `a complex attribute needs 'subAttributes': 1 to ${max} attributes`);
  }
  const parsed = subs.map((s, i) => parseAttribute(s, `${at.slice(0, -1)}.subAttributes[${i}]'`, name));
  checkDuplicates(parsed, (n) => `attribute '${name}.${n}'`);
  return { subAttributes: parsed };
}

/** Characteristics this server cannot honour for an extension are refused, not ignored. */
function checkCharacteristics(attribute: AttributeDefinition, at: string, parent: string | undefined): void {
  if (attribute.mutability === 'writeOnly') {
    throw bad(at, "mutability 'writeOnly' is not supported for extension attributes");
  }
  if (attribute.required && attribute.mutability === 'readOnly') {
    throw bad(at, 'a readOnly attribute cannot be required: no client could provide it');
  }
  if (attribute.uniqueness === 'global') {
    throw bad(at, "uniqueness 'global' is not supported; 'server' is unique within the directory");
  }
  if (attribute.uniqueness === 'server' && (parent !== undefined || attribute.type === 'complex')) {
    throw bad(at, "uniqueness 'server' applies to top-level simple attributes only");
  }
}

function checkDuplicates(attributes: readonly AttributeDefinition[], label: (name: string) => string): void {
  const seen = new Set<string>();
  for (const a of attributes) {
    const lower = a.name.toLowerCase();
    // RFC 7643 §2.1: attribute names are case-insensitive.
    if (seen.has(lower)) throw bad(label(a.name), 'is defined twice (names are case-insensitive)');
    seen.add(lower);
  }
}

function parseUrn(raw: Record<string, unknown>, reserved: readonly string[]): string {
  const id = raw['id'];
  if (typeof id !== 'string' || id.length > EXTENSION_LIMITS.urnLength || !URN.test(id)) {
    throw bad(
      "'id'",
      `must be a URN (urn:<namespace>:<name>, letters, digits, ':', '.', '_', '-'; at most ${EXTENSION_LIMITS.urnLength} characters)`,
    );
  }
  const lower = id.toLowerCase();
  const clash = reserved.find((r) => {
    const l = r.toLowerCase();
    return lower === l || lower.startsWith(`${l}:`) || l.startsWith(`${lower}:`);
  });
  if (clash) throw bad("'id'", `${id} clashes with the server's schema ${clash}`);
  if (lower.startsWith(RESERVED_PREFIX)) {
    throw bad("'id'", `${id} is in the SCIM namespace ${RESERVED_PREFIX} (RFC 7643 §10.2), reserved for the RFCs`);
  }
  return id;
}

/**
 * Validates a registration body: the §7 schema representation plus `resourceType`
 * (User or Group) and `required`. `reserved` are the server's schema URNs, which an
 * extension may neither take nor nest in or around. Every error is 400 invalidValue
 * naming the attribute path.
 */
export function parseExtensionDefinition(body: unknown, reserved: readonly string[]): ExtensionDefinition {
  if (!isObject(body)) throw ScimException.invalidSyntax('A schema definition must be a JSON object');
  const unknownKey = Object.keys(body).find((k) => !TOP_KEYS.has(k));
  if (unknownKey) throw bad(`'${unknownKey}'`, 'is not a schema characteristic (RFC 7643 §7)');
  const id = parseUrn(body, reserved);
  const resourceType = oneOf<ExtendableType>(body, 'resourceType', "'resourceType'", ['User', 'Group'], 'User');
  const attributes = body['attributes'];
  const max = EXTENSION_LIMITS.attributes;
  if (!Array.isArray(attributes) || attributes.length === 0 || attributes.length > max) {
    throw bad("'attributes'", `must be an array of 1 to ${max} attributes`);
  }
  const parsed = attributes.map((a, i) => parseAttribute(a, `attribute attributes[${i}]`));
  checkDuplicates(parsed, (n) => `attribute '${n}'`);
  return {
    schema: {
      id,
      name: text(body, 'name', "'name'", EXTENSION_LIMITS.schemaNameLength, ''),
      description: text(body, 'description', "'description'", EXTENSION_LIMITS.descriptionLength, ''),
      attributes: parsed,
    },
    resourceType,
    required: flag(body, 'required', "'required'"),
  };
}
