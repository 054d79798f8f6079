import { SCHEMA_RESOURCE_TYPE, SCHEMA_SCHEMA_URN, SCHEMA_SERVICE_PROVIDER_CONFIG } from '../scim.constants.js';
import {
  attribute,
  type AttributeDefinition,
  type AttributeType,
  type SchemaDefinition,
} from './attribute-definition.js';

/*
 * RFC 7643 §8.7.2 service provider schemas, published by GET /Schemas. The
 * configuration resources they describe are defined by the server, so every
 * attribute is readOnly. Where §8.7.2 contradicts the normative text of §5,
 * §6 or §7, the normative text wins and the spot is marked below. Reference
 * attributes keep the builder's caseExact true (§2.3.7).
 */

type Options = NonNullable<Parameters<typeof attribute>[2]>;

const readOnly = (name: string, type: AttributeType, options: Options = {}): AttributeDefinition =>
  attribute(name, type, { ...options, mutability: 'readOnly' });

const supported = readOnly('supported', 'boolean', {
  description: 'A Boolean value specifying whether or not the operation is supported.',
  required: true,
});

const feature = (name: string, description: string, more: readonly AttributeDefinition[] = []): AttributeDefinition =>
  readOnly(name, 'complex', { description, required: true, subAttributes: [supported, ...more] });

const externalUri = (name: string, description: string): AttributeDefinition =>
  readOnly(name, 'reference', { description, referenceTypes: ['external'] });

export const SERVICE_PROVIDER_CONFIG_SCHEMA: SchemaDefinition = {
  id: SCHEMA_SERVICE_PROVIDER_CONFIG,
  name: 'Service Provider Configuration',
  description: "Schema for representing the service provider's configuration",
  attributes: [
    externalUri(
      'documentationUri',
      "An HTTP-addressable URL pointing to the service provider's human-consumable help documentation.",
    ),
    feature('patch', 'A complex type that specifies PATCH configuration options.'),
    feature('bulk', 'A complex type that specifies bulk configuration options.', [
      readOnly('maxOperations', 'integer', {
        description: 'An integer value specifying the maximum number of operations.',
        required: true,
      }),
      readOnly('maxPayloadSize', 'integer', {
        description: 'An integer value specifying the maximum payload size in bytes.',
        required: true,
      }),
    ]),
    feature('filter', 'A complex type that specifies FILTER options.', [
      readOnly('maxResults', 'integer', {
        description: 'An integer value specifying the maximum number of resources returned in a response.',
        required: true,
      }),
    ]),
    feature('changePassword', 'A complex type that specifies configuration options related to changing a password.'),
    feature('sort', 'A complex type that specifies sort result options.'),
    // §5 defines etag as REQUIRED; §8.7.2 leaves it out of the schema.
    feature('etag', 'A complex type that specifies ETag configuration options.'),
    // RFC 9865 §4: the paging methods the server supports, which its ServiceProviderConfig returns.
    readOnly('pagination', 'complex', {
      description: 'A complex type that specifies pagination configuration options.',
      subAttributes: [
        readOnly('cursor', 'boolean', { description: 'Whether cursor-based pagination is supported.', required: true }),
        readOnly('index', 'boolean', { description: 'Whether index-based pagination is supported.', required: true }),
        readOnly('defaultPaginationMethod', 'string', {
          description: 'The pagination method used when a request names none.',
          canonicalValues: ['cursor', 'index'],
        }),
        readOnly('defaultPageSize', 'integer', { description: 'The page size used when a request names none.' }),
        readOnly('maxPageSize', 'integer', { description: 'The largest page size the server returns.' }),
        readOnly('cursorTimeout', 'integer', { description: 'The minimum number of seconds a cursor stays valid.' }),
      ],
    }),
    readOnly('authenticationSchemes', 'complex', {
      description: 'A complex type that specifies supported authentication scheme properties.',
      multiValued: true,
      required: true,
      subAttributes: [
        // §5 defines "type" as REQUIRED; §8.7.2 leaves it out of the schema.
        readOnly('type', 'string', {
          description: 'The authentication scheme.',
          required: true,
          canonicalValues: ['oauth', 'oauth2', 'oauthbearertoken', 'httpbasic', 'httpdigest'],
        }),
        readOnly('name', 'string', {
          description: 'The common authentication scheme name, e.g., HTTP Basic.',
          required: true,
        }),
        readOnly('description', 'string', {
          description: 'A description of the authentication scheme.',
          required: true,
        }),
        externalUri('specUri', "An HTTP-addressable URL pointing to the authentication scheme's specification."),
        externalUri(
          'documentationUri',
          "An HTTP-addressable URL pointing to the authentication scheme's usage documentation.",
        ),
        // §2.4 "primary" of a multi-valued attribute, as sent in the §5 example.
        readOnly('primary', 'boolean', {
          description: 'A Boolean value indicating the preferred authentication scheme.',
        }),
      ],
    }),
  ],
};

export const RESOURCE_TYPE_SCHEMA: SchemaDefinition = {
  id: SCHEMA_RESOURCE_TYPE,
  name: 'ResourceType',
  description: 'Specifies the schema that describes a SCIM resource type',
  attributes: [
    readOnly('id', 'string', {
      description: "The resource type's server unique id. May be the same as the 'name' attribute.",
    }),
    readOnly('name', 'string', {
      description: "The resource type name. When applicable, service providers MUST specify the name, e.g., 'User'.",
      required: true,
    }),
    readOnly('description', 'string', {
      description: "The resource type's human-readable description.",
    }),
    readOnly('endpoint', 'reference', {
      description: "The resource type's HTTP-addressable endpoint relative to the Base URL, e.g., '/Users'.",
      referenceTypes: ['uri'],
      required: true,
    }),
    readOnly('schema', 'reference', {
      description: "The resource type's primary/base schema URI.",
      referenceTypes: ['uri'],
      required: true,
    }),
    // §6 defines schemaExtensions as an OPTIONAL list; §8.7.2 publishes it as
    // single-valued and required, which the Group resource type (no extensions) would contradict.
    readOnly('schemaExtensions', 'complex', {
      description: "A list of URIs of the resource type's schema extensions.",
      multiValued: true,
      subAttributes: [
        readOnly('schema', 'reference', {
          description: 'The URI of a schema extension.',
          referenceTypes: ['uri'],
          required: true,
        }),
        readOnly('required', 'boolean', {
          description:
            'A Boolean value that specifies whether or not the schema extension is required for the resource type. ' +
            'If true, a resource of this type MUST include this schema extension and also include any attributes ' +
            'declared as required in this schema extension. If false, a resource of this type MAY omit this schema extension.',
          required: true,
        }),
      ],
    }),
  ],
};

/** The §7 characteristics, shared by "attributes" and its "subAttributes" as in §8.7.2. */
const characteristics: readonly AttributeDefinition[] = [
  readOnly('name', 'string', { description: "The attribute's name.", required: true, caseExact: true }),
  // §7 omits "binary" from the valid types although §2.3.6 defines it and User publishes it.
  readOnly('type', 'string', {
    description:
      "The attribute's data type. Valid values include 'string', 'complex', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'.",
    required: true,
    canonicalValues: ['string', 'complex', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'],
  }),
  readOnly('multiValued', 'boolean', {
    description: "A Boolean value indicating an attribute's plurality.",
    required: true,
  }),
  readOnly('description', 'string', { description: 'A human-readable description of the attribute.', caseExact: true }),
  readOnly('required', 'boolean', {
    description: 'A Boolean value indicating whether or not the attribute is required.',
  }),
  readOnly('canonicalValues', 'string', {
    description:
      "A collection of canonical values. When applicable, service providers MUST specify the canonical types, e.g., 'work', 'home'.",
    multiValued: true,
    caseExact: true,
  }),
  readOnly('caseExact', 'boolean', {
    description: 'A Boolean value indicating whether or not a string attribute is case sensitive.',
  }),
  readOnly('mutability', 'string', {
    description: 'Indicates whether or not an attribute is modifiable.',
    caseExact: true,
    canonicalValues: ['readOnly', 'readWrite', 'immutable', 'writeOnly'],
  }),
  readOnly('returned', 'string', {
    description: 'Indicates when an attribute is returned in a response (e.g., to a query).',
    caseExact: true,
    canonicalValues: ['always', 'never', 'default', 'request'],
  }),
  readOnly('uniqueness', 'string', {
    description: 'Indicates how unique a value must be.',
    caseExact: true,
    canonicalValues: ['none', 'server', 'global'],
  }),
  // §7 defines referenceTypes as multi-valued; §8.7.2 marks the nested copy single-valued.
  readOnly('referenceTypes', 'string', {
    description:
      "Used only with an attribute of type 'reference'. Specifies a SCIM resourceType that a reference attribute MAY refer to, e.g., 'User'.",
    multiValued: true,
    caseExact: true,
  }),
];

export const SCHEMA_SCHEMA: SchemaDefinition = {
  id: SCHEMA_SCHEMA_URN,
  name: 'Schema',
  description: 'Specifies the schema that describes a SCIM schema',
  attributes: [
    readOnly('id', 'string', {
      description: 'The unique URI of the schema. When applicable, service providers MUST specify the URI.',
      required: true,
    }),
    readOnly('name', 'string', {
      description:
        "The schema's human-readable name. When applicable, service providers MUST specify the name, e.g., 'User'.",
      required: true,
    }),
    readOnly('description', 'string', {
      description:
        "The schema's human-readable description. When applicable, service providers MUST specify the description.",
    }),
    readOnly('attributes', 'complex', {
      description: 'A complex attribute that includes the attributes of a schema.',
      multiValued: true,
      required: true,
      subAttributes: [
        ...characteristics,
        readOnly('subAttributes', 'complex', {
          description: 'Used to define the sub-attributes of a complex attribute.',
          multiValued: true,
          subAttributes: characteristics,
        }),
      ],
    }),
  ],
};
