import { assertNever, } from './filter.ast.js';
export function visitFilter(node, visitor) {
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
//# sourceMappingURL=filter.visitor.js.map