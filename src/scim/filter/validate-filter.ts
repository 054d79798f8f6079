import { ScimException } from '../errors/scim.exception.js';
import type { AttributeDefinition, AttributeType } from '../schema/attribute-definition.js';
import type { AttrPath, ResolvedAttribute, ResourceTypeName, SchemaRegistry } from '../schema/schema-registry.js';
import {
  assertNever,
  type CompareNode,
  type CompareOperator,
  type CompareValue,
  type FilterNode,
  type PresentNode,
  type ValuePathNode,
} from './filter.ast.js';
import { formatAttrPath } from './filter.stringify.js';
import { isXsdDateTime } from './date-time.util.js';

/** What validation adds to every node that names an attribute. */
export interface FilterAnnotation {
  readonly attribute: ResolvedAttribute;
}

/**
 * A filter whose every attribute is resolved against the schema registry, so translators need no
 * further lookups. Inside a value path, `attribute` is the sub-attribute of the bracketed
 * attribute (`emails[type eq "work"]` → `emails.type`). `path` stays as the client wrote it, while
 * `attribute` is what is compared: `emails co "x"` carries `emails.value`. Compare values are in
 * the attribute's type (`active eq "true"` carries `true`).
 */
export type ValidatedFilter = FilterNode<FilterAnnotation>;

/** Where a path is read: at the resource root, or relative to the element a value path selects. */
type Scope = { readonly kind: 'root' } | { readonly kind: 'element'; readonly parent: AttrPath };

const ROOT: Scope = { kind: 'root' };

const ORDERING: ReadonlySet<CompareOperator> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING: ReadonlySet<CompareOperator> = new Set(['co', 'sw', 'ew']);
const TEXTUAL: ReadonlySet<AttributeType> = new Set(['string', 'reference', 'binary']);

/**
 * Checks a parsed filter against the schemas of `type` and annotates it. Fails closed: any
 * attribute, operator or value the server cannot evaluate exactly is a 400 invalidFilter
 * (RFC 7644 §3.4.2.2), never a clause quietly dropped or widened.
 */
export function validateFilter(node: FilterNode, registry: SchemaRegistry, type: ResourceTypeName): ValidatedFilter {
  return new FilterValidator(registry, type).validate(node, ROOT);
}

class FilterValidator {
  constructor(
    private readonly registry: SchemaRegistry,
    private readonly type: ResourceTypeName,
  ) {}

  validate(node: FilterNode, scope: Scope): ValidatedFilter {
    switch (node.kind) {
      case 'compare':
        return this.compare(node, scope);
      case 'present':
        return this.present(node, scope);
      case 'and':
      case 'or':
        return {
          kind: node.kind,
          left: this.validate(node.left, scope),
          right: this.validate(node.right, scope),
        };
      case 'not':
        return { kind: 'not', filter: this.validate(node.filter, scope) };
      case 'valuePath':
        return this.valuePath(node, scope);
      default:
        return assertNever(node);
    }
  }

  private compare(node: CompareNode, scope: Scope): ValidatedFilter {
    const attribute = this.comparable(this.resolve(node.path, scope));
    const definition = attribute.subAttribute ?? attribute.attribute;
    checkOperator(node.op, node.value, definition, attribute.path);
    const value = node.value === null ? null : coerceValue(node.value, definition, attribute.path);
    return { kind: 'compare', op: node.op, path: node.path, value, attribute };
  }

  private present(node: PresentNode, scope: Scope): ValidatedFilter {
    return { kind: 'present', path: node.path, attribute: this.resolve(node.path, scope) };
  }

  private valuePath(node: ValuePathNode, scope: Scope): ValidatedFilter {
    if (scope.kind === 'element') {
      throw ScimException.invalidFilter(`Value paths cannot be nested (${formatAttrPath(node.path)})`);
    }
    const attribute = this.resolve(node.path, scope);
    const definition = attribute.attribute;
    if (attribute.subAttribute || definition.type !== 'complex' || !definition.multiValued) {
      throw ScimException.invalidFilter(
        `A value filter "[…]" needs a multi-valued complex attribute; "${attribute.path}" is not one`,
      );
    }
    const filter = this.validate(node.filter, { kind: 'element', parent: node.path });
    return { kind: 'valuePath', path: node.path, filter, attribute };
  }

  private resolve(path: AttrPath, scope: Scope): ResolvedAttribute {
    if (scope.kind === 'root') return this.lookup(path, formatAttrPath(path));
    // RFC 7644 §3.4.2.2 valuePath: paths inside "[…]" name sub-attributes of the bracketed attribute.
    const written = `${formatAttrPath(scope.parent)}[${formatAttrPath(path)}]`;
    if (path.schemaUri !== undefined || path.subAttr !== undefined) {
      throw ScimException.invalidFilter(`Expected a sub-attribute name inside "${written}"`);
    }
    return this.lookup({ ...scope.parent, subAttr: path.name }, written);
  }

  private lookup(path: AttrPath, written: string): ResolvedAttribute {
    const resolved = this.registry.resolve(this.type, path);
    if (!resolved) {
      throw ScimException.invalidFilter(`Unknown attribute "${written}" for ${this.type} resources`);
    }
    return resolved;
  }

  /**
   * RFC 7644 §3.4.2.2 compares a complex attribute named without sub-attribute through its "value"
   * sub-attribute (the RFC's own example is `emails co "example.com"`); a complex attribute
   * without one has nothing to compare.
   */
  private comparable(attribute: ResolvedAttribute): ResolvedAttribute {
    if (attribute.subAttribute || attribute.attribute.type !== 'complex') return attribute;
    const { schemaUri, attribute: definition } = attribute;
    const value = this.registry.resolve(this.type, {
      ...(schemaUri !== '' ? { schemaUri } : {}),
      name: definition.name,
      subAttr: 'value',
    });
    if (!value) {
      throw ScimException.invalidFilter(`"${attribute.path}" is complex; compare one of its sub-attributes instead`);
    }
    return value;
  }
}

function checkOperator(op: CompareOperator, value: CompareValue, definition: AttributeDefinition, path: string): void {
  // RFC 7644 §3.4.2.2: gt/ge/lt/le on boolean or binary attributes SHALL fail with invalidFilter.
  if (ORDERING.has(op) && (definition.type === 'boolean' || definition.type === 'binary')) {
    throw cannotCompare(op, definition, path);
  }
  // co/sw/ew are substring tests; they have no meaning for numbers, booleans or instants.
  if (SUBSTRING.has(op) && !TEXTUAL.has(definition.type)) {
    throw cannotCompare(op, definition, path);
  }
  if (value === null && op !== 'eq' && op !== 'ne') {
    throw ScimException.invalidFilter(`Only "eq" and "ne" can compare "${path}" with null`);
  }
}

function cannotCompare(op: CompareOperator, definition: AttributeDefinition, path: string): ScimException {
  return ScimException.invalidFilter(`"${op}" cannot compare the ${definition.type} attribute "${path}"`);
}

/** The value the comparison will use, in the attribute's type; throws when it cannot be one. */
function coerceValue(value: string | number | boolean, definition: AttributeDefinition, path: string): CompareValue {
  const mismatch = (expected: string): ScimException =>
    ScimException.invalidFilter(`"${path}" is compared with ${JSON.stringify(value)}; expected ${expected}`);
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      // An unquoted value (Entra ID) that looks like a number or literal still means its text.
      return typeof value === 'string' ? value : String(value);
    case 'boolean': {
      const flag = coerceBoolean(value);
      if (flag !== undefined) return flag;
      throw mismatch('true or false');
    }
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw mismatch('an integer');
    case 'decimal':
      if (typeof value === 'number') return value;
      throw mismatch('a number');
    case 'dateTime':
      if (typeof value === 'string' && isXsdDateTime(value)) return value;
      throw mismatch('a dateTime string such as "2011-05-13T04:42:34Z"');
    case 'complex':
      throw mismatch('a sub-attribute comparison');
    default:
      return assertNever(definition.type);
  }
}

/** Entra ID sends `active eq "True"`, so the strings "true"/"false" count, case-insensitively. */
function coerceBoolean(value: string | number | boolean): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
