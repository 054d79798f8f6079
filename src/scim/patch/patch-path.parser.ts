import { ScimException } from '../errors/scim.exception.js';
import { attrPath } from '../filter/filter.ast.js';
import { parseFilter } from '../filter/filter.parser.js';
import { validateFilter, type ValidatedFilter } from '../filter/validate-filter.js';
import type { ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import type { PatchPath, PatchTarget } from './patch.types.js';

/** RFC 7644 §3.10 ATTRNAME, plus a leading "$" for `$ref` (RFC 7643 §2.4). */
const ATTR_NAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;

const URN_START = /^urn:/i;

/**
 * Parses an RFC 7644 §3.5.2 PATH for a resource type:
 * `[URN (":" / ".")] attr ["." sub]`, `[URN ":"] attr "[" filter "]" ["." sub]` or a bare schema URN.
 * Names are case-insensitive (RFC 7643 §2.1) and come back canonical. The URN is split off by
 * longest registered prefix (RFC 7644 §3.10), because URNs themselves contain ":" and ".".
 *
 * Lenient mode also reads an unqualified name that no core or common attribute has as the
 * attribute of the one extension defining it (Entra sends `manager` for the enterprise
 * extension's); strict mode keeps RFC 7644 §3.10, where only core attributes may omit the URN.
 *
 * Errors: malformed or unknown → invalidPath; an unparsable or invalid bracket filter →
 * invalidFilter (RFC 7644 §3.12 Table 9 lists PATCH path filters under invalidFilter).
 */
export function parsePatchPath(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  text: string,
  lenient = false,
): PatchPath {
  const trimmed = text.trim();
  if (trimmed === '') throw ScimException.invalidPath('Path is empty');
  let schemaUri: string | undefined;
  let rest = trimmed;
  if (URN_START.test(trimmed)) {
    const split = registry.splitUrn(type, trimmed);
    if (!split) {
      throw ScimException.invalidPath(`Path "${clip(text)}" does not start with a schema URN of ${type} resources`);
    }
    if (split.rest === '') return { kind: 'schema', text, schemaUri: split.schemaUri };
    schemaUri = split.schemaUri;
    rest = split.rest;
  }
  const open = rest.indexOf('[');
  return open < 0
    ? attributePath(registry, type, { text, lenient }, rest, schemaUri)
    : valuePath(registry, type, { text, lenient }, rest, open, schemaUri);
}

/** The path text as sent, and the mode it is read in. */
interface PathInput {
  readonly text: string;
  readonly lenient: boolean;
}

function attributePath(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  input: PathInput,
  rest: string,
  schemaUri: string | undefined,
): PatchPath {
  const { text } = input;
  const [name = '', subAttr, ...extra] = rest.split('.');
  if (extra.length > 0 || !ATTR_NAME.test(name) || (subAttr !== undefined && !ATTR_NAME.test(subAttr))) {
    throw malformed(text);
  }
  const top = resolveTop(registry, type, input, name, schemaUri);
  return { kind: 'attribute', text, target: withSubAttribute(top, subAttr, text) };
}

function valuePath(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  input: PathInput,
  rest: string,
  open: number,
  schemaUri: string | undefined,
): PatchPath {
  const { text } = input;
  const name = rest.slice(0, open);
  // The filter may hold "]" inside a string, so the closing bracket is the last one.
  const close = rest.lastIndexOf(']');
  const tail = rest.slice(close + 1);
  if (!ATTR_NAME.test(name) || close < open) throw malformed(text);
  if (tail !== '' && !(tail.startsWith('.') && ATTR_NAME.test(tail.slice(1)))) throw malformed(text);
  const top = resolveTop(registry, type, input, name, schemaUri);
  const definition = top.attribute;
  if (definition.type !== 'complex' || !definition.multiValued) {
    throw ScimException.invalidPath(
      `Path "${clip(text)}": a value filter "[…]" needs a multi-valued complex attribute; "${top.path}" is not one`,
    );
  }
  const filter = bracketFilter(registry, type, rest.slice(open + 1, close), top);
  const target = withSubAttribute(top, tail === '' ? undefined : tail.slice(1), text);
  return { kind: 'valuePath', text, target, filter };
}

/** The bracket contents, parsed and validated as RFC 7644 §3.4.2.2 valFilter of the attribute. */
function bracketFilter(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  text: string,
  top: PatchTarget,
): ValidatedFilter {
  const inner = parseFilter(text);
  // Written as the client would for the detail of a filter error: URN-qualified for extensions only.
  const qualified = top.schemaUri !== '' && top.schemaUri !== registry.getResourceType(type).schema;
  const owner = attrPath(top.attribute.name, undefined, qualified ? top.schemaUri : undefined);
  const validated = validateFilter({ kind: 'valuePath', path: owner, filter: inner }, registry, type);
  if (validated.kind !== 'valuePath') throw new TypeError('validateFilter changed the node kind');
  return validated.filter;
}

function resolveTop(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  input: PathInput,
  name: string,
  schemaUri: string | undefined,
): PatchTarget {
  const { text } = input;
  const resolved =
    registry.resolve(type, { ...(schemaUri !== undefined ? { schemaUri } : {}), name }) ??
    (schemaUri === undefined && input.lenient ? inOneExtension(registry, type, text, name) : undefined);
  if (!resolved) {
    const where = schemaUri !== undefined ? ` in schema ${schemaUri}` : '';
    throw ScimException.invalidPath(`Path "${clip(text)}": unknown attribute "${name}"${where} for ${type} resources`);
  }
  return { schemaUri: resolved.schemaUri, attribute: resolved.attribute, path: resolved.path };
}

/** The attribute of the single extension of the type that defines `name`; two or more is ambiguous. */
function inOneExtension(
  registry: SchemaRegistry,
  type: ResourceTypeName,
  text: string,
  name: string,
): PatchTarget | undefined {
  const found = registry.extensionsDefining(type, name);
  if (found.length > 1) {
    throw ScimException.invalidPath(
      `Path "${clip(text)}": attribute "${name}" is defined by ${found.map((f) => f.schemaUri).join(' and ')}; ` +
        'qualify it with the schema URN',
    );
  }
  return found[0];
}

function withSubAttribute(top: PatchTarget, subAttr: string | undefined, text: string): PatchTarget {
  if (subAttr === undefined) return top;
  const subs = top.attribute.subAttributes;
  if (!subs) {
    throw ScimException.invalidPath(`Path "${clip(text)}": "${top.path}" has no sub-attributes`);
  }
  const lower = subAttr.toLowerCase();
  const sub = subs.find((s) => s.name.toLowerCase() === lower);
  if (!sub) {
    throw ScimException.invalidPath(`Path "${clip(text)}": unknown sub-attribute "${subAttr}" of "${top.path}"`);
  }
  return { ...top, subAttribute: sub, path: `${top.path}.${sub.name}` };
}

function malformed(text: string): ScimException {
  return ScimException.invalidPath(
    `Malformed path "${clip(text)}"; expected attr, attr.subAttr, attr[filter] or attr[filter].subAttr (RFC 7644 §3.5.2)`,
  );
}

/** Client text echoed in a detail is cut short so an error body stays small. */
function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
