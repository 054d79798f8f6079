import { foldKey } from '../database/fold-key.js';
import { isPlainObject, weakEtag } from '../scim/resource/scim-resource.js';
/** Splits the validated document: members go to group_members, the rest to `doc`. */
export function toGroupWrite(doc) {
    const { members, ...rest } = doc;
    const displayName = String(rest['displayName']);
    const refs = (Array.isArray(members) ? members : []).filter(isPlainObject).map(toMemberRef);
    return {
        write: {
            displayName,
            displayNameKey: foldKey(displayName),
            externalId: typeof rest['externalId'] === 'string' ? rest['externalId'] : null,
            doc: JSON.stringify(rest),
        },
        members: refs,
    };
}
function toMemberRef(member) {
    const type = typeof member['type'] === 'string' ? member['type'].toLowerCase() : undefined;
    return {
        value: String(member['value'] ?? ''),
        ...(type === 'user' ? { type: 'User' } : type === 'group' ? { type: 'Group' } : {}),
    };
}
export function groupLocation(baseUrl, id) {
    return `${baseUrl}/Groups/${id}`;
}
export function toScimMembers(members, baseUrl) {
    return members.map((m) => ({
        value: m.value,
        $ref: `${baseUrl}/${m.type === 'Group' ? 'Groups' : 'Users'}/${m.value}`,
        type: m.type,
        ...(m.display !== null ? { display: m.display } : {}),
    }));
}
/** The full representation of a stored group; `members` is undefined when it was not read. */
export function toScimGroup(row, members, baseUrl) {
    const doc = JSON.parse(row.doc);
    const stored = isPlainObject(doc) ? doc : {};
    const resource = { schemas: stored['schemas'], id: row.id, ...stored };
    if (members && members.length > 0)
        resource['members'] = toScimMembers(members, baseUrl);
    resource['meta'] = {
        resourceType: 'Group',
        created: row.created,
        lastModified: row.last_modified,
        location: groupLocation(baseUrl, row.id),
        version: weakEtag(Number(row.version)),
    };
    return resource;
}
//# sourceMappingURL=group.mapper.js.map