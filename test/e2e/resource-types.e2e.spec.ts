import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEVICE_RESOURCE_TYPE, DEVICE_SCHEMA, DEVICE_SCHEMA_URN } from '../setup/device-type.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/**
 * A resource type is data: a third type registered from a test gets its endpoint, its
 * entries in /ResourceTypes and /Schemas, and the case-insensitive endpoint name, with
 * no controller written for it. Its storage is not implemented yet: every operation on
 * it is a 501 SCIM error, and root search leaves it out.
 */
describe('A resource type registered from a test', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ registry: { schemas: [DEVICE_SCHEMA], resourceTypes: [DEVICE_RESOURCE_TYPE] } });
  });
  after(async () => {
    await t.close();
  });

  it('is listed in /ResourceTypes after User and Group, and its schema in /Schemas', async () => {
    const types = await t.req('get', `${BASE}/ResourceTypes`);
    assert.equal(types.status, 200, types.text);
    assert.deepEqual(types.body.Resources.map((r: { id: string }) => r.id), ['User', 'Group', 'Device']);
    // RFC 7643 §6: the definition as registered, without its storage, which is the server's business.
    const { id, name, endpoint, description, schema: core, schemaExtensions } = DEVICE_RESOURCE_TYPE;
    const location = `${t.url}${BASE}/ResourceTypes/Device`;
    const device = { schemas: [RESOURCE_TYPE_SCHEMA], id, name, endpoint, description, schema: core, schemaExtensions, meta: { resourceType: 'ResourceType', location } };
    assert.equal(endpoint, '/Devices');
    assert.deepEqual(types.body.Resources[2], device);
    assert.deepEqual((await t.req('get', `${BASE}/ResourceTypes/Device`)).body, device);

    const schemas = await t.req('get', `${BASE}/Schemas`);
    assert.ok(schemas.body.Resources.some((s: { id: string }) => s.id === DEVICE_SCHEMA_URN), 'the Device schema is published');
    const schema = await t.req('get', `${BASE}/Schemas/${DEVICE_SCHEMA_URN}`);
    assert.equal(schema.status, 200, schema.text);
    assert.deepEqual(schema.body.attributes.map((a: { name: string }) => a.name), ['serialNumber', 'owner']);
  });

  it('has a routed endpoint, matched case-insensitively, that answers 501 until its storage exists', async () => {
    for (const path of ['Devices', 'devices', 'DEVICES/d-1', 'Devices/.search']) {
      const method = path.endsWith('.search') ? 'post' : 'get';
      const res = await t.req(method, `${BASE}/${path}`).send(method === 'post' ? { schemas: [SEARCH_REQUEST] } : undefined);
      expectScimError(res, 501);
      assert.match(res.body.detail, /Device/);
    }
    expectScimError(await t.req('post', `${BASE}/Devices`).send({ schemas: [DEVICE_SCHEMA_URN], serialNumber: 'X1' }), 501);
    expectScimError(await t.req('delete', `${BASE}/Devices/d-1`), 501);
    // The collection routes of every resource endpoint exist: a PUT to the collection is 405, not 404.
    const put = await t.req('put', `${BASE}/Devices`).send({});
    expectScimError(put, 405);
    assert.equal(put.headers['allow'], 'GET, POST');
    expectScimError(await t.req('get', `${BASE}/Gadgets`), 404);
  });

  it('leaves Users and Groups as they were, and root search searches only the types with storage', async () => {
    const created = await t.req('post', `${BASE}/Users`).send(userBody('device.owner'));
    assert.equal(created.status, 201, created.text);
    const search = await t.req('post', `${BASE}/.search`).send({ schemas: [SEARCH_REQUEST] });
    assert.equal(search.status, 200, search.text);
    assert.deepEqual(search.body.Resources.map((r: { userName?: string }) => r.userName), ['device.owner']);
    expectScimError(await t.req('post', `${BASE}/.search`).send({ schemas: [SEARCH_REQUEST], filter: 'serialNumber eq "X1"' }), 400, 'invalidFilter');
  });
});
