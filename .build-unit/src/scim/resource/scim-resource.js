/** A JSON object (not an array, Buffer or other class instance). */
export function isPlainObject(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
/** RFC 7643 §3.1 / RFC 7644 §3.14: a weak validator derived from the row version. */
export function weakEtag(version) {
    return `W/"${version}"`;
}
//# sourceMappingURL=scim-resource.js.map