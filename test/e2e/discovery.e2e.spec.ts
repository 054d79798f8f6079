import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { AttributeDefinition } from '../../src/scim/schema/attribute-definition.js';
import { publishedSchemas } from '../../src/scim/schema/published-schemas.js';
import { SchemaRegistry } from '../../src/scim/schema/schema-registry.js';
import { expectScimError } from '../setup/scim-assertions.js';
import {
  BASE,
  ENTERPRISE,
  GROUP_SCHEMA,
  SCIM_JSON,
  startTestApp,
  USER_SCHEMA,
  type TestApp,
} from '../setup/test-app.js';

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const MAX_PAGE_SIZE = 250;
const DEFAULT_PAGE_SIZE = 40;

/** The RFC 7643 §7 characteristics every published attribute carries. */
const CHARACTERISTICS = [
  'name',
  'type',
  'multiValued',
  'description',
  'required',
  'caseExact',
  'mutability',
  'returned',
  'uniqueness',
];

interface AttributeJson {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeJson[];
}

/** Every attribute (and sub-attribute) has all §7 characteristics. */
function assertCharacteristics(attributes: AttributeJson[], where: string): void {
  for (const attr of attributes) {
    for (const key of CHARACTERISTICS) {
      assert.ok(key in attr, `${where}.${attr.name} lacks '${key}'`);
    }
    assert.match(attr.mutability, /^(readOnly|readWrite|immutable|writeOnly)$/);
    assert.match(attr.returned, /^(always|never|default|request)$/);
    assert.match(attr.uniqueness, /^(none|server|global)$/);
    if (attr.type === 'complex') {
      assert.ok(
        Array.isArray(attr.subAttributes) && attr.subAttributes.length > 0,
        `${where}.${attr.name} has no subAttributes`,
      );
    }
    if (attr.subAttributes) assertCharacteristics(attr.subAttributes, `${where}.${attr.name}`);
  }
}

/** The published attributes carry exactly what the registry defines (independent of the server's mapper). */
function assertMatchesRegistry(
  published: AttributeJson[],
  defined: readonly AttributeDefinition[],
  where: string,
): void {
  assert.deepEqual(
    published.map((a) => a.name),
    defined.map((d) => d.name),
    `${where}: attribute names`,
  );
  defined.forEach((def, i) => {
    const got = published[i];
    const path = `${where}.${def.name}`;
    assert.deepEqual(
      {
        type: got.type,
        multiValued: got.multiValued,
        description: got.description,
        required: got.required,
        caseExact: got.caseExact,
        mutability: got.mutability,
        returned: got.returned,
        uniqueness: got.uniqueness,
        canonicalValues: got.canonicalValues,
        referenceTypes: got.referenceTypes,
      },
      {
        type: def.type,
        multiValued: def.multiValued,
        description: def.description,
        required: def.required,
        caseExact: def.caseExact,
        mutability: def.mutability,
        returned: def.returned,
        uniqueness: def.uniqueness,
        canonicalValues: def.canonicalValues,
        referenceTypes: def.referenceTypes,
      },
      path,
    );
    if (def.subAttributes) {
      assertMatchesRegistry(got.subAttributes ?? [], def.subAttributes, path);
    } else {
      assert.equal(got.subAttributes, undefined, `${path} has no subAttributes`);
    }
  });
}

describe('Discovery', () => {
  let t: TestApp;
  // The default directory's schemas as published: with externalId, and Group displayName unique
  // (GROUP_DISPLAY_NAME_UNIQUE defaults to true).
  const published = publishedSchemas(new SchemaRegistry(), [
    { schema: GROUP_SCHEMA, attribute: 'displayName', uniqueness: 'server' },
  ]);
  before(async () => {
    t = await startTestApp({
      env: { MAX_PAGE_SIZE: String(MAX_PAGE_SIZE), DEFAULT_PAGE_SIZE: String(DEFAULT_PAGE_SIZE) },
    });
  });
  after(async () => {
    await t.close();
  });

  const anonymous = (path: string) => request(t.url).get(path);

  it('GET /ServiceProviderConfig works without a token and has every REQUIRED member, truthfully', async () => {
    const res = await anonymous(`${BASE}/ServiceProviderConfig`);
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    const spc = res.body;
    assert.deepEqual(spc.schemas, [SPC_SCHEMA]);
    assert.deepEqual(spc.patch, { supported: true });
    assert.deepEqual(spc.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
    assert.deepEqual(spc.filter, { supported: true, maxResults: MAX_PAGE_SIZE });
    assert.deepEqual(spc.changePassword, { supported: true });
    assert.deepEqual(spc.sort, { supported: true });
    assert.deepEqual(spc.etag, { supported: true });
    assert.ok(Array.isArray(spc.authenticationSchemes));
    assert.ok(spc.authenticationSchemes.length >= 1);
    for (const scheme of spc.authenticationSchemes) {
      assert.match(scheme.type, /^(oauth|oauth2|oauthbearertoken|httpbasic|httpdigest)$/);
      assert.equal(typeof scheme.name, 'string');
      assert.ok(scheme.name.length > 0);
      assert.equal(typeof scheme.description, 'string');
      assert.ok(scheme.description.length > 0);
    }
    // Basic is off by default, so only the bearer scheme is advertised.
    assert.deepEqual(
      spc.authenticationSchemes.map((s: { type: string }) => s.type),
      ['oauthbearertoken'],
    );
    assert.equal(spc.authenticationSchemes[0].primary, true);
    assert.equal(spc.pagination.index, true);
    assert.equal(spc.pagination.cursor, true);
    assert.equal(spc.pagination.defaultPageSize, DEFAULT_PAGE_SIZE);
    assert.equal(spc.pagination.maxPageSize, MAX_PAGE_SIZE);
    assert.equal(spc.pagination.cursorTimeout, 3600);
    assert.equal(spc.pagination.defaultPaginationMethod, 'index');
    assert.deepEqual(spc.meta, {
      resourceType: 'ServiceProviderConfig',
      location: `${t.url}${BASE}/ServiceProviderConfig`,
    });
    assert.equal(spc.id, undefined);

    // The same with a token.
    const authed = await t.req('get', `${BASE}/ServiceProviderConfig`);
    assert.deepEqual(authed.body, spc);
  });

  it('GET /ResourceTypes is a ListResponse of User and Group; /ResourceTypes/User is one object; unknown is 404', async () => {
    const res = await t.req('get', `${BASE}/ResourceTypes`);
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    const user = {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      meta: { resourceType: 'ResourceType', location: `${t.url}${BASE}/ResourceTypes/User` },
    };
    const group = {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${t.url}${BASE}/ResourceTypes/Group` },
    };
    assert.deepEqual(res.body, {
      schemas: [LIST_RESPONSE],
      totalResults: 2,
      startIndex: 1,
      itemsPerPage: 2,
      Resources: [user, group],
    });

    const single = await t.req('get', `${BASE}/ResourceTypes/User`);
    assert.equal(single.status, 200);
    assert.match(String(single.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(single.body, user);
    assert.deepEqual((await t.req('get', `${BASE}/ResourceTypes/Group`)).body, group);

    // Every schema a resource type names is published under /Schemas.
    for (const type of [user, group]) {
      for (const urn of [type.schema, ...type.schemaExtensions.map((e) => e.schema)]) {
        const schema = await t.req('get', `${BASE}/Schemas/${urn}`);
        assert.equal(schema.status, 200, `${urn}: ${schema.text}`);
        assert.equal(schema.body.id, urn);
      }
    }

    expectScimError(await t.req('get', `${BASE}/ResourceTypes/Nope`), 404);
    // Query parameters are ignored on discovery endpoints (RFC 7644 §4).
    const filtered = await t.req('get', `${BASE}/ResourceTypes`).query({ count: 1, startIndex: 2 });
    assert.equal(filtered.status, 200);
    assert.equal(filtered.body.totalResults, 2);
    assert.equal(filtered.body.Resources.length, 2);
  });

  it('/ResourceTypes and /Schemas need a token: 401 with WWW-Authenticate', async () => {
    for (const path of ['/ResourceTypes', '/ResourceTypes/User', '/Schemas', `/Schemas/${USER_SCHEMA}`]) {
      const res = await anonymous(`${BASE}${path}`);
      expectScimError(res, 401);
      assert.match(String(res.headers['www-authenticate']), /^Bearer /, path);
      const bad = await request(t.url).get(`${BASE}${path}`).set('Authorization', 'Bearer not-a-real-token');
      expectScimError(bad, 401);
      assert.match(String(bad.headers['www-authenticate']), /^Bearer /, path);
    }
  });

  it('GET /Schemas lists exactly the six schemas, each attribute with all §7 characteristics, and no message schemas', async () => {
    const res = await t.req('get', `${BASE}/Schemas`);
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(res.body.schemas, [LIST_RESPONSE]);
    assert.equal(res.body.totalResults, 6);
    assert.equal(res.body.itemsPerPage, 6);
    assert.equal(res.body.startIndex, 1);
    const ids = res.body.Resources.map((s: { id: string }) => s.id);
    assert.deepEqual(
      [...ids].sort(),
      [USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA, SPC_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA].sort(),
    );
    assert.doesNotMatch(res.text, /"id":"urn:ietf:params:scim:api:/);
    for (const schema of res.body.Resources) {
      assert.deepEqual(schema.schemas, [SCHEMA_SCHEMA]);
      assert.equal(typeof schema.name, 'string');
      assert.equal(typeof schema.description, 'string');
      assert.deepEqual(schema.meta, { resourceType: 'Schema', location: `${t.url}${BASE}/Schemas/${schema.id}` });
      assert.ok(Array.isArray(schema.attributes) && schema.attributes.length > 0);
      assertCharacteristics(schema.attributes, schema.id);
      // The common attributes (RFC 7643 §3.1) belong to no schema; the resource schemas list
      // externalId (§3.1 allows it), with the common attribute's characteristics.
      const core = schema.id === USER_SCHEMA || schema.id === GROUP_SCHEMA;
      for (const common of ['id', 'externalId', 'meta']) {
        if (schema.id === SCHEMA_SCHEMA || schema.id === RESOURCE_TYPE_SCHEMA) continue;
        const listed = schema.attributes.filter((a: AttributeJson) => a.name === common);
        assert.equal(listed.length, core && common === 'externalId' ? 1 : 0, `${schema.id} publishes ${common}`);
      }
      if (core) {
        const externalId = schema.attributes.find((a: AttributeJson) => a.name === 'externalId');
        assert.deepEqual(
          { ...externalId },
          {
            name: 'externalId',
            type: 'string',
            multiValued: false,
            description: externalId.description,
            required: false,
            caseExact: true,
            mutability: 'readWrite',
            returned: 'default',
            uniqueness: 'none',
          },
        );
      }
    }
    // The listed documents are the same as the single reads.
    for (const schema of res.body.Resources) {
      const one = await t.req('get', `${BASE}/Schemas/${schema.id}`);
      assert.deepEqual(one.body, schema);
    }
  });

  it('GET /Schemas/<User URN> is the registry User schema: userName, password, groups as enforced', async () => {
    const res = await t.req('get', `${BASE}/Schemas/${USER_SCHEMA}`);
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    const defined = published.find((s) => s.id === USER_SCHEMA);
    assert.ok(defined);
    assert.equal(res.body.id, USER_SCHEMA);
    assert.equal(res.body.name, defined.name);
    assertMatchesRegistry(res.body.attributes, defined.attributes, 'User');

    const attr = (name: string): AttributeJson => res.body.attributes.find((a: AttributeJson) => a.name === name);
    const userName = attr('userName');
    assert.equal(userName.required, true);
    assert.equal(userName.caseExact, false);
    assert.equal(userName.uniqueness, 'server');
    assert.equal(userName.type, 'string');
    const password = attr('password');
    assert.equal(password.returned, 'never');
    assert.equal(password.mutability, 'writeOnly');
    const groups = attr('groups');
    assert.equal(groups.mutability, 'readOnly');
    assert.equal(groups.multiValued, true);
    assert.deepEqual(
      groups.subAttributes?.map((s) => s.name),
      ['value', '$ref', 'display', 'type'],
    );

    for (const urn of [ENTERPRISE, GROUP_SCHEMA]) {
      const other = await t.req('get', `${BASE}/Schemas/${urn}`);
      assert.equal(other.status, 200);
      assertMatchesRegistry(other.body.attributes, published.find((s) => s.id === urn)?.attributes ?? [], urn);
    }
    const groupSchema = await t.req('get', `${BASE}/Schemas/${GROUP_SCHEMA}`);
    const members = groupSchema.body.attributes.find((a: AttributeJson) => a.name === 'members');
    assert.equal(members.multiValued, true);
    assert.equal(groupSchema.body.attributes.find((a: AttributeJson) => a.name === 'displayName').required, true);

    expectScimError(await t.req('get', `${BASE}/Schemas/urn:ietf:params:scim:schemas:core:2.0:Nope`), 404);
    expectScimError(await t.req('get', `${BASE}/Schemas/urn:ietf:params:scim:api:messages:2.0:ListResponse`), 404);
    expectScimError(await t.req('get', `${BASE}/Schemas/urn:ietf:params:scim:api:messages:2.0:Error`), 404);
  });

  it('POST/PUT/PATCH/DELETE on discovery endpoints are 405 with Allow: GET', async () => {
    const paths = [
      '/ServiceProviderConfig',
      '/ResourceTypes',
      '/ResourceTypes/User',
      '/Schemas',
      `/Schemas/${USER_SCHEMA}`,
    ];
    for (const path of paths) {
      for (const method of ['post', 'put', 'patch', 'delete'] as const) {
        const req = t.req(method, `${BASE}${path}`);
        const res =
          method === 'delete' ? await req : await req.set('Content-Type', SCIM_JSON).send({ schemas: [SPC_SCHEMA] });
        expectScimError(res, 405);
        assert.equal(res.headers['allow'], 'GET', `${method.toUpperCase()} ${path}`);
      }
    }
    // Nothing changed.
    const spc = await anonymous(`${BASE}/ServiceProviderConfig`);
    assert.equal(spc.status, 200);
    assert.deepEqual(spc.body.patch, { supported: true });
  });
});
