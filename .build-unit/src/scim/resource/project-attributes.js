import { ScimException } from '../errors/scim.exception.js';
import { isPlainObject } from './scim-resource.js';
export const DEFAULT_PROJECTION = { mode: 'default', paths: new Set() };
function splitList(value) {
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
    return items.map((s) => s.trim()).filter((s) => s.length > 0);
}
function canonicalPath(registry, type, raw) {
    const split = raw.includes(':') ? registry.splitUrn(type, raw) : undefined;
    if (raw.includes(':') && !split)
        return undefined;
    if (split && split.rest === '')
        return split.schemaUri;
    const rest = split ? split.rest : raw;
    const [name = '', subAttr] = rest.split('.', 2);
    const resolved = registry.resolve(type, {
        ...(split ? { schemaUri: split.schemaUri } : {}),
        name,
        ...(subAttr !== undefined ? { subAttr } : {}),
    });
    return resolved?.path;
}
/**
 * Parses the two projection parameters. Both at once is 400 invalidValue (RFC 7644
 * §3.9 makes them alternatives). Names the schemas do not define select nothing.
 */
export function parseProjection(registry, type, attributes, excludedAttributes) {
    const include = splitList(attributes);
    const exclude = splitList(excludedAttributes);
    if (include.length > 0 && exclude.length > 0) {
        throw ScimException.invalidValue("'attributes' and 'excludedAttributes' cannot be used together");
    }
    const mode = include.length > 0 ? 'include' : exclude.length > 0 ? 'exclude' : 'default';
    const paths = new Set();
    for (const raw of mode === 'include' ? include : exclude) {
        const path = canonicalPath(registry, type, raw);
        if (path)
            paths.add(path.toLowerCase());
    }
    return { mode, paths };
}
/** Whether the projection returns any part of a top-level attribute (so it must be loaded at all). */
export function projectionIncludes(projection, def, path) {
    if (def.returned === 'never')
        return false;
    if (def.returned === 'always')
        return true;
    const lower = path.toLowerCase();
    const named = [...projection.paths].some((p) => p === lower || p.startsWith(`${lower}.`));
    switch (projection.mode) {
        case 'default':
            return def.returned === 'default';
        case 'include':
            return named;
        case 'exclude':
            return def.returned === 'default' && !projection.paths.has(lower);
    }
}
function projectValue(projection, def, value, path) {
    const subs = def.subAttributes;
    if (!subs)
        return value;
    const lower = path.toLowerCase();
    const wholeNamed = projection.paths.has(lower);
    const keep = (sub) => {
        if (sub.returned === 'never')
            return false;
        if (sub.returned === 'always')
            return true;
        const subPath = `${lower}.${sub.name.toLowerCase()}`;
        if (projection.mode === 'exclude')
            return sub.returned === 'default' && !projection.paths.has(subPath);
        if (projection.mode === 'include' && !wholeNamed)
            return projection.paths.has(subPath);
        return sub.returned === 'default' || projection.paths.has(subPath);
    };
    const pick = (item) => {
        if (!isPlainObject(item))
            return item;
        const out = {};
        for (const sub of subs)
            if (sub.name in item && keep(sub))
                out[sub.name] = item[sub.name];
        return out;
    };
    if (Array.isArray(value))
        return value.map(pick).filter((v) => !isPlainObject(v) || Object.keys(v).length > 0);
    const picked = pick(value);
    return isPlainObject(picked) && Object.keys(picked).length === 0 ? undefined : picked;
}
function projectAttributes(projection, attributes, source, prefix, wholeSelected) {
    const out = {};
    const effective = wholeSelected ? DEFAULT_PROJECTION : projection;
    for (const def of attributes) {
        if (!(def.name in source))
            continue;
        const path = `${prefix}${def.name}`;
        if (!projectionIncludes(effective, def, path))
            continue;
        const value = projectValue(effective, def, source[def.name], path);
        if (value !== undefined && !(Array.isArray(value) && value.length === 0))
            out[def.name] = value;
    }
    return out;
}
/**
 * Applies RFC 7643 §7 `returned` and RFC 7644 §3.9 projection to a full resource:
 * `always` is kept, `never` dropped, `request` only when named, `default` unless
 * the request says otherwise. `schemas` and `id` are always returned.
 */
export function projectResource(registry, type, resource, projection) {
    const base = registry.getResourceType(type).schema;
    const baseSchema = registry.getSchema(base);
    const attributes = [...registry.commonAttributeDefinitions(), ...(baseSchema?.attributes ?? [])];
    const out = { schemas: resource['schemas'] };
    Object.assign(out, projectAttributes(projection, attributes, resource, '', false));
    const schemas = [base];
    for (const uri of registry.schemaUrisOf(type).slice(1)) {
        const ext = resource[uri];
        const schema = registry.getSchema(uri);
        if (!isPlainObject(ext) || !schema)
            continue;
        const whole = projection.mode === 'include' && projection.paths.has(uri.toLowerCase());
        const excludedWhole = projection.mode === 'exclude' && projection.paths.has(uri.toLowerCase());
        if (excludedWhole)
            continue;
        const projected = projectAttributes(projection, schema.attributes, ext, `${uri}:`, whole);
        if (Object.keys(projected).length > 0) {
            out[uri] = projected;
            schemas.push(uri);
        }
    }
    out['schemas'] = schemas;
    // meta reads best last, as in the RFC 7643 §8 examples.
    if ('meta' in out) {
        const { meta, ...rest } = out;
        return { ...rest, meta };
    }
    return out;
}
//# sourceMappingURL=project-attributes.js.map