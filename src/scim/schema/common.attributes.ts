import { attribute, type AttributeDefinition } from './attribute-definition.js';

const readOnly = { mutability: 'readOnly' } as const;

/**
 * RFC 7643 §3.1 common attributes, part of every resource but of no schema:
 * they are not published in any "attributes" list of /Schemas (§3.1, §8.7.1).
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  // RFC 7643 §3: "schemas" is an attribute of every resource too; listing it lets filters
  // such as `schemas eq "urn:…:enterprise:2.0:User"` (RFC 7644 §3.4.2.2) resolve.
  attribute('schemas', 'reference', {
    description: 'The schema URIs the resource conforms to.',
    multiValued: true,
    caseExact: false,
    referenceTypes: ['uri'],
    mutability: 'readOnly',
    returned: 'always',
  }),
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
