/** RFC 7643 §2.2 defaults: optional, not case-exact, readWrite, returned by default, no uniqueness. */
export function attribute(name, type, options = {}) {
    return {
        name,
        type,
        multiValued: options.multiValued ?? false,
        description: options.description ?? '',
        required: options.required ?? false,
        // RFC 7643 §2.3.6, §2.3.7: binary and reference values are case-exact.
        caseExact: options.caseExact ?? (type === 'binary' || type === 'reference'),
        mutability: options.mutability ?? 'readWrite',
        returned: options.returned ?? 'default',
        uniqueness: options.uniqueness ?? 'none',
        ...(options.canonicalValues ? { canonicalValues: options.canonicalValues } : {}),
        ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
        ...(options.subAttributes ? { subAttributes: options.subAttributes } : {}),
    };
}
//# sourceMappingURL=attribute-definition.js.map