import { ScimException } from '../errors/scim.exception.js';
import { isPlainObject } from './scim-resource.js';
function sameValue(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}
/**
 * RFC 7644 §3.5.1: an immutable attribute that already has a value may be sent
 * again only unchanged (400 mutability otherwise); one without a value may be set.
 */
export function checkImmutable(registry, type, before, after) {
    const base = registry.getResourceType(type).schema;
    for (const uri of registry.schemaUrisOf(type)) {
        const schema = registry.getSchema(uri);
        const from = uri === base ? before : before[uri];
        const to = uri === base ? after : after[uri];
        if (!schema || !isPlainObject(from))
            continue;
        for (const attr of schema.attributes) {
            if (attr.mutability !== 'immutable' || from[attr.name] === undefined)
                continue;
            const next = isPlainObject(to) ? to[attr.name] : undefined;
            if (!sameValue(from[attr.name], next)) {
                throw ScimException.mutability(`Attribute '${attr.name}' is immutable and already set`);
            }
        }
    }
}
//# sourceMappingURL=check-immutable.js.map