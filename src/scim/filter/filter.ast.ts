import type { AttrPath } from '../schema/schema-registry.js';

export type { AttrPath };

/** RFC 7644 §3.4.2.2 Table 3 comparison operators; `pr` is modelled by PresentNode. */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export const COMPARE_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** RFC 7644 §3.4.2.2 `compValue`: the JSON literals false / null / true / number / string. */
export type CompareValue = string | number | boolean | null;

/** The annotation of a tree straight from the parser. */
export type NoAnnotation = Record<never, never>;

/**
 * The filter tree is generic over an annotation `A` carried by the nodes that name an attribute
 * (compare, present, valuePath): the parser produces `FilterNode` (no annotation) and schema
 * validation produces `FilterNode<{ attribute: ResolvedAttribute }>` with the same shape.
 */
export type CompareNode<A extends object = NoAnnotation> = A & {
  readonly kind: 'compare';
  readonly op: CompareOperator;
  readonly path: AttrPath;
  readonly value: CompareValue;
};

export type PresentNode<A extends object = NoAnnotation> = A & {
  readonly kind: 'present';
  readonly path: AttrPath;
};

export interface AndNode<A extends object = NoAnnotation> {
  readonly kind: 'and';
  readonly left: FilterNode<A>;
  readonly right: FilterNode<A>;
}

export interface OrNode<A extends object = NoAnnotation> {
  readonly kind: 'or';
  readonly left: FilterNode<A>;
  readonly right: FilterNode<A>;
}

export interface NotNode<A extends object = NoAnnotation> {
  readonly kind: 'not';
  readonly filter: FilterNode<A>;
}

/**
 * `emails[type eq "work"]`: `path` never has a subAttr, and the paths inside `filter` are relative
 * to it (`{ name: 'type' }` above), naming sub-attributes of the same element.
 */
export type ValuePathNode<A extends object = NoAnnotation> = A & {
  readonly kind: 'valuePath';
  readonly path: AttrPath;
  readonly filter: FilterNode<A>;
};

export type FilterNode<A extends object = NoAnnotation> =
  CompareNode<A> | PresentNode<A> | AndNode<A> | OrNode<A> | NotNode<A> | ValuePathNode<A>;

export type FilterKind = FilterNode['kind'];

export function assertNever(value: never): never {
  throw new TypeError(`Unexpected filter node: ${JSON.stringify(value)}`);
}

/** Builds an AttrPath; absent parts stay absent keys so trees compare with deepStrictEqual. */
export function attrPath(name: string, subAttr?: string, schemaUri?: string): AttrPath {
  return {
    ...(schemaUri !== undefined ? { schemaUri } : {}),
    name,
    ...(subAttr !== undefined ? { subAttr } : {}),
  };
}

/** Builders below take `userName` or `name.givenName` for convenience; URN paths need attrPath(). */
function toPath(path: string | AttrPath): AttrPath {
  if (typeof path !== 'string') return path;
  const dot = path.indexOf('.');
  return dot < 0 ? attrPath(path) : attrPath(path.slice(0, dot), path.slice(dot + 1));
}

export function compare(op: CompareOperator, path: string | AttrPath, value: CompareValue): CompareNode {
  return { kind: 'compare', op, path: toPath(path), value };
}

export function eq(path: string | AttrPath, value: CompareValue): CompareNode {
  return compare('eq', path, value);
}

export function present(path: string | AttrPath): PresentNode {
  return { kind: 'present', path: toPath(path) };
}

export function and(left: FilterNode, right: FilterNode, ...more: FilterNode[]): FilterNode {
  return more.reduce<FilterNode>((acc, next) => ({ kind: 'and', left: acc, right: next }), {
    kind: 'and',
    left,
    right,
  });
}

export function or(left: FilterNode, right: FilterNode, ...more: FilterNode[]): FilterNode {
  return more.reduce<FilterNode>((acc, next) => ({ kind: 'or', left: acc, right: next }), {
    kind: 'or',
    left,
    right,
  });
}

export function not(filter: FilterNode): NotNode {
  return { kind: 'not', filter };
}

export function valuePath(path: string | AttrPath, filter: FilterNode): ValuePathNode {
  return { kind: 'valuePath', path: toPath(path), filter };
}
