import { SCHEMA_GROUP } from '../scim.constants.js';
import { attribute } from './attribute-definition.js';
/** RFC 7643 §4.2 Group schema, characteristics as published in §8.7.1 except where noted. */
export const GROUP_SCHEMA = {
    id: SCHEMA_GROUP,
    name: 'Group',
    description: 'Group',
    attributes: [
        // §4.2 calls displayName REQUIRED while §8.7.1 publishes required false; a group
        // without a name cannot be told apart by clients, so this server requires it.
        attribute('displayName', 'string', {
            description: 'A human-readable name for the Group. REQUIRED.',
            required: true,
        }),
        // §4.2: members may be added or removed, but the sub-attributes of a member are immutable.
        attribute('members', 'complex', {
            multiValued: true,
            description: 'A list of members of the Group.',
            subAttributes: [
                attribute('value', 'string', {
                    description: 'Identifier of the member of this Group.',
                    mutability: 'immutable',
                }),
                // Case-exact by §2.3.7, although §8.7.1 lists caseExact false.
                attribute('$ref', 'reference', {
                    description: 'The URI corresponding to a SCIM resource that is a member of this Group.',
                    referenceTypes: ['User', 'Group'],
                    mutability: 'immutable',
                }),
                attribute('type', 'string', {
                    description: "A label indicating the type of resource, e.g., 'User' or 'Group'.",
                    canonicalValues: ['User', 'Group'],
                    mutability: 'immutable',
                }),
                // Not in §8.7.1; §2.4 defines "display" for multi-valued attributes. The server fills it
                // from the member resource and ignores a client-sent value, hence readOnly.
                attribute('display', 'string', {
                    description: 'A human-readable name for the member, primarily used for display purposes. READ-ONLY.',
                    mutability: 'readOnly',
                }),
            ],
        }),
    ],
};
//# sourceMappingURL=group.schema.js.map