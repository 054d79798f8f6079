import { isPlainObject } from '../resource/scim-resource.js';
/** Structural JSON equality; object key order does not matter. */
export function deepEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a)) {
        return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
    }
    if (isPlainObject(a) && isPlainObject(b)) {
        const keys = Object.keys(a);
        return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
    }
    return false;
}
/** Equality as the schema defines it: strings of a non-caseExact attribute ignore case (RFC 7643 §2.2). */
export function sameSimpleValue(def, a, b) {
    if (!def.caseExact && typeof a === 'string' && typeof b === 'string') {
        return a.toLowerCase() === b.toLowerCase();
    }
    return deepEqual(a, b);
}
/**
 * True when every sub-attribute `candidate` carries has the same value in `existing`: adding such
 * a value to a multi-valued attribute changes nothing (RFC 7644 §3.5.2.1).
 */
export function elementContains(def, existing, candidate) {
    if (!isPlainObject(candidate) || !isPlainObject(existing))
        return sameSimpleValue(def, existing, candidate);
    return Object.entries(candidate).every(([key, value]) => {
        const sub = def.subAttributes?.find((s) => s.name === key);
        return sub ? sameSimpleValue(sub, existing[key], value) : deepEqual(existing[key], value);
    });
}
//# sourceMappingURL=json-value.util.js.map