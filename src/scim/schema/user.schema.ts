import { SCHEMA_USER } from '../scim.constants.js';
import { attribute, type AttributeDefinition, type SchemaDefinition } from './attribute-definition.js';

/*
 * RFC 7643 §4.1 User schema, characteristics as published in §8.7.1.
 *
 * Reference and binary attributes (profileUrl, photos.value, groups.$ref,
 * x509Certificates.value) keep the builder's caseExact true although §8.7.1
 * lists false: §2.3.6 and §2.3.7 define both types as case-exact, and RFC
 * errata 6000 corrects x509Certificates.value accordingly.
 */

const string = (name: string, description: string): AttributeDefinition => attribute(name, 'string', { description });

/** RFC 7643 §2.4: "display" of a multi-valued attribute; §8.7.1 publishes it readWrite for User. */
const display = (): AttributeDefinition =>
  string('display', 'A human-readable name, primarily used for display purposes. READ-ONLY.');

/** RFC 7643 §2.4 "type" label; canonical values as listed per attribute in §8.7.1. */
const type = (description: string, canonicalValues?: readonly string[]): AttributeDefinition =>
  attribute('type', 'string', { description, ...(canonicalValues ? { canonicalValues } : {}) });

/** RFC 7643 §2.4: at most one value of a multi-valued attribute may be primary. */
const primary = (example = ''): AttributeDefinition =>
  attribute('primary', 'boolean', {
    description:
      `A Boolean value indicating the 'primary' or preferred attribute value for this attribute${example}. ` +
      "The primary attribute value 'true' MUST appear no more than once.",
  });

const multiValued = (
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
): AttributeDefinition => attribute(name, 'complex', { multiValued: true, description, subAttributes });

const WORK_HOME_OTHER = ['work', 'home', 'other'] as const;

const name = attribute('name', 'complex', {
  description:
    "The components of the user's real name. Providers MAY return just the full name as a single " +
    'string in the formatted sub-attribute, or just the individual component attributes, or both.',
  subAttributes: [
    string(
      'formatted',
      "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III').",
    ),
    string('familyName', "The family name of the User, or last name in most Western languages (e.g., 'Jensen')."),
    string('givenName', "The given name of the User, or first name in most Western languages (e.g., 'Barbara')."),
    string('middleName', "The middle name(s) of the User (e.g., 'Jane')."),
    string(
      'honorificPrefix',
      "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.').",
    ),
    string(
      'honorificSuffix',
      "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III').",
    ),
  ],
});

const emails = multiValued(
  'emails',
  "Email addresses for the user. The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
  [
    string(
      'value',
      "Email addresses for the user. The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'.",
    ),
    display(),
    type("A label indicating the attribute's function, e.g., 'work' or 'home'.", WORK_HOME_OTHER),
    primary(', e.g., the preferred mailing address or primary email address'),
  ],
);

const phoneNumbers = multiValued(
  'phoneNumbers',
  "Phone numbers for the User. The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
  [
    string('value', 'Phone number of the User.'),
    display(),
    type("A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.", [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]),
    primary(', e.g., the preferred phone number or primary phone number'),
  ],
);

const ims = multiValued('ims', 'Instant messaging addresses for the User.', [
  string('value', 'Instant messaging address for the User.'),
  display(),
  type("A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.", [
    'aim',
    'gtalk',
    'icq',
    'xmpp',
    'msn',
    'skype',
    'qq',
    'yahoo',
  ]),
  primary(', e.g., the preferred messenger or primary messenger'),
]);

const photos = multiValued('photos', 'URLs of photos of the User.', [
  attribute('value', 'reference', {
    description: 'URL of a photo of the User.',
    referenceTypes: ['external'],
  }),
  display(),
  type("A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.", ['photo', 'thumbnail']),
  primary(', e.g., the preferred photo or thumbnail'),
]);

/*
 * §8.7.1 omits "primary" from addresses, but §4.1.2 gives addresses the §2.4
 * "primary" sub-attribute and the §8.2 example sends it, so it is accepted here.
 */
const addresses = multiValued(
  'addresses',
  "A physical mailing address for this User. Canonical type values of 'work', 'home', and 'other'.",
  [
    string(
      'formatted',
      'The full mailing address, formatted for display or use with a mailing label. This attribute MAY contain newlines.',
    ),
    string(
      'streetAddress',
      'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information. This attribute MAY contain newlines.',
    ),
    string('locality', 'The city or locality component.'),
    string('region', 'The state or region component.'),
    string('postalCode', 'The zip code or postal code component.'),
    string('country', 'The country name component.'),
    type("A label indicating the attribute's function, e.g., 'work' or 'home'.", WORK_HOME_OTHER),
    primary(', e.g., the preferred mailing address'),
  ],
);

/** §4.1.2: group membership is managed through the Group resource, so every part of it is read-only here. */
const groups = attribute('groups', 'complex', {
  multiValued: true,
  mutability: 'readOnly',
  description:
    'A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.',
  subAttributes: [
    attribute('value', 'string', { description: "The identifier of the User's group.", mutability: 'readOnly' }),
    attribute('$ref', 'reference', {
      description: "The URI of the corresponding 'Group' resource to which the user belongs.",
      referenceTypes: ['User', 'Group'],
      mutability: 'readOnly',
    }),
    attribute('display', 'string', {
      description: 'A human-readable name, primarily used for display purposes. READ-ONLY.',
      mutability: 'readOnly',
    }),
    attribute('type', 'string', {
      description: "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.",
      canonicalValues: ['direct', 'indirect'],
      mutability: 'readOnly',
    }),
  ],
});

// §8.7.1 publishes an empty canonicalValues list for roles.type and x509Certificates.type; omitted here, same meaning.
const entitlements = multiValued(
  'entitlements',
  'A list of entitlements for the User that represent a thing the User has.',
  [
    string('value', 'The value of an entitlement.'),
    display(),
    type("A label indicating the attribute's function."),
    primary(),
  ],
);

const roles = multiValued(
  'roles',
  "A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.",
  [string('value', 'The value of a role.'), display(), type("A label indicating the attribute's function."), primary()],
);

const x509Certificates = multiValued('x509Certificates', 'A list of certificates issued to the User.', [
  attribute('value', 'binary', { description: 'The value of an X.509 certificate.' }),
  display(),
  type("A label indicating the attribute's function."),
  primary(),
]);

export const USER_SCHEMA: SchemaDefinition = {
  id: SCHEMA_USER,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute('userName', 'string', {
      description:
        "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value. This identifier MUST be unique across the service provider's entire set of Users. REQUIRED.",
      required: true,
      uniqueness: 'server',
    }),
    name,
    string(
      'displayName',
      'The name of the User, suitable for display to end-users. The name SHOULD be the full name of the User being described, if known.',
    ),
    string(
      'nickName',
      "The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'. This attribute SHOULD NOT be used to represent a User's username (e.g., 'bjensen' or 'mpepperidge').",
    ),
    attribute('profileUrl', 'reference', {
      description: "A fully qualified URL pointing to a page representing the User's online profile.",
      referenceTypes: ['external'],
    }),
    string('title', 'The user\'s title, such as "Vice President."'),
    string(
      'userType',
      "Used to identify the relationship between the organization and the user. Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used.",
    ),
    string(
      'preferredLanguage',
      "Indicates the User's preferred written or spoken language. Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US.",
    ),
    string(
      'locale',
      "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations.",
    ),
    string('timezone', "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
    attribute('active', 'boolean', { description: "A Boolean value indicating the User's administrative status." }),
    attribute('password', 'string', {
      description:
        "The User's cleartext password. This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.",
      mutability: 'writeOnly',
      returned: 'never',
    }),
    emails,
    phoneNumbers,
    ims,
    photos,
    addresses,
    groups,
    entitlements,
    roles,
    x509Certificates,
  ],
};
