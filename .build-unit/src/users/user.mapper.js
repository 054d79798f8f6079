import { foldKey } from '../database/fold-key.js';
import { isPlainObject, weakEtag } from '../scim/resource/scim-resource.js';
function stringOrNull(value) {
    return typeof value === 'string' ? value : null;
}
/** Derives the indexed columns from the document, so the two cannot drift apart. */
export function toUserWrite(doc) {
    const userName = String(doc['userName']);
    const displayName = stringOrNull(doc['displayName']);
    return {
        userName,
        userNameKey: foldKey(userName),
        externalId: stringOrNull(doc['externalId']),
        displayName,
        displayNameKey: displayName === null ? null : foldKey(displayName),
        active: typeof doc['active'] === 'boolean' ? doc['active'] : null,
        doc: JSON.stringify(doc),
    };
}
/** RFC 7643 §4.1.2: `groups` is computed from memberships; nested ones are "indirect". */
export function toGroupsAttribute(groups, baseUrl) {
    return groups.map((g) => ({
        value: g.id,
        $ref: `${baseUrl}/Groups/${g.id}`,
        display: g.display,
        type: Number(g.depth) === 0 ? 'direct' : 'indirect',
    }));
}
export function userLocation(baseUrl, id) {
    return `${baseUrl}/Users/${id}`;
}
/** The full SCIM representation of a stored user (before projection). */
export function toScimUser(row, groups, baseUrl) {
    const doc = JSON.parse(row.doc);
    const stored = isPlainObject(doc) ? doc : {};
    const resource = { schemas: stored['schemas'], id: row.id, ...stored };
    if (groups.length > 0)
        resource['groups'] = toGroupsAttribute(groups, baseUrl);
    resource['meta'] = {
        resourceType: 'User',
        created: row.created,
        lastModified: row.last_modified,
        location: userLocation(baseUrl, row.id),
        version: weakEtag(Number(row.version)),
    };
    return resource;
}
//# sourceMappingURL=user.mapper.js.map