import {
  assertNever,
  type AndNode,
  type CompareNode,
  type FilterNode,
  type NoAnnotation,
  type NotNode,
  type OrNode,
  type PresentNode,
  type ValuePathNode,
} from './filter.ast.js';

/**
 * One method per node kind, so stringify, schema validation and SQL translation are separate
 * implementations of one interface. `A` is the node annotation (see filter.ast.ts): `NoAnnotation`
 * for a parsed tree, `{ attribute: ResolvedAttribute }` for a validated one.
 */
export interface FilterVisitor<T, A extends object = NoAnnotation> {
  compare(node: CompareNode<A>): T;
  present(node: PresentNode<A>): T;
  and(node: AndNode<A>): T;
  or(node: OrNode<A>): T;
  not(node: NotNode<A>): T;
  valuePath(node: ValuePathNode<A>): T;
}

export function visitFilter<T, A extends object = NoAnnotation>(node: FilterNode<A>, visitor: FilterVisitor<T, A>): T {
  switch (node.kind) {
    case 'compare':
      return visitor.compare(node);
    case 'present':
      return visitor.present(node);
    case 'and':
      return visitor.and(node);
    case 'or':
      return visitor.or(node);
    case 'not':
      return visitor.not(node);
    case 'valuePath':
      return visitor.valuePath(node);
    default:
      return assertNever(node);
  }
}
