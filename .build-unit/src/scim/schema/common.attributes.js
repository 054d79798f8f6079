import { attribute } from './attribute-definition.js';
const readOnly = { mutability: 'readOnly' };
/**
 * RFC 7643 §3.1 common attributes, part of every resource but of no schema:
 * they are not published in any "attributes" list of /Schemas (§3.1, §8.7.1).
 */
export const COMMON_ATTRIBUTES = [
    // §3.1: the server assigns "id", so a request never has to carry it; every response does.
    attribute('id', 'string', {
        description: 'A unique identifier for a SCIM resource as defined by the service provider. REQUIRED in responses.',
        caseExact: true,
        mutability: 'readOnly',
        returned: 'always',
        uniqueness: 'server',
    }),
    attribute('externalId', 'string', {
        description: 'A String that is an identifier for the resource as defined by the provisioning client.',
        caseExact: true,
    }),
    attribute('meta', 'complex', {
        description: 'A complex attribute containing resource metadata.',
        ...readOnly,
        subAttributes: [
            attribute('resourceType', 'string', {
                description: 'The name of the resource type of the resource.',
                caseExact: true,
                ...readOnly,
            }),
            attribute('created', 'dateTime', {
                description: 'The "DateTime" that the resource was added to the service provider.',
                ...readOnly,
            }),
            attribute('lastModified', 'dateTime', {
                description: 'The most recent DateTime that the details of this resource were updated.',
                ...readOnly,
            }),
            attribute('location', 'reference', {
                description: 'The URI of the resource being returned; the same as the "Content-Location" header.',
                referenceTypes: ['uri'],
                ...readOnly,
            }),
            // §3.1: the version is the resource's entity tag (RFC 7232), compared byte for byte.
            attribute('version', 'string', {
                description: 'The version of the resource being returned; the same as the "ETag" header.',
                caseExact: true,
                ...readOnly,
            }),
        ],
    }),
];
//# sourceMappingURL=common.attributes.js.map