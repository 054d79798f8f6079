import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEVICE_RESOURCE_TYPE, DEVICE_SCHEMA_URN, startDeviceApp } from '../setup/device-type.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, GROUP_SCHEMA, userBody, type TestApp } from '../setup/test-app.js';

const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/**
 * A resource type is data: a third type registered from a test (a definition and a
 * migration) gets its endpoint, its entries in /ResourceTypes and /Schemas, the
 * case-insensitive endpoint name, storage through the generic service and repository,
 * and a place in root search, with no controller, service or repository written for it.
 */
describe('A resource type registered from a test', () => {
  let t: TestApp;
  before(async () => {
    t = await startDeviceApp();
  });
  after(async () => {
    await t.close();
  });

  it('is listed in /ResourceTypes after User and Group, and its schema in /Schemas', async () => {
    const types = await t.req('get', `${BASE}/ResourceTypes`);
    assert.equal(types.status, 200, types.text);
    assert.deepEqual(
      types.body.Resources.map((r: { id: string }) => r.id),
      ['User', 'Group', 'Device'],
    );
    // RFC 7643 §6: the definition as registered, without its storage, which is the server's business.
    const { id, name, endpoint, description, schema: core, schemaExtensions } = DEVICE_RESOURCE_TYPE;
    const location = `${t.url}${BASE}/ResourceTypes/Device`;
    const device = {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id,
      name,
      endpoint,
      description,
      schema: core,
      schemaExtensions,
      meta: { resourceType: 'ResourceType', location },
    };
    assert.equal(endpoint, '/Devices');
    assert.deepEqual(types.body.Resources[2], device);
    assert.deepEqual((await t.req('get', `${BASE}/ResourceTypes/Device`)).body, device);

    const schemas = await t.req('get', `${BASE}/Schemas`);
    assert.ok(
      schemas.body.Resources.some((s: { id: string }) => s.id === DEVICE_SCHEMA_URN),
      'the Device schema is published',
    );
    const schema = await t.req('get', `${BASE}/Schemas/${DEVICE_SCHEMA_URN}`);
    assert.equal(schema.status, 200, schema.text);
    // Its own attributes, then the common externalId every resource type's core schema lists (RFC 7643 §3.1).
    assert.deepEqual(
      schema.body.attributes.map((a: { name: string }) => a.name),
      ['serialNumber', 'owner', 'externalId'],
    );
  });

  it('has a routed endpoint, matched case-insensitively, served from its own table', async () => {
    const created = await t
      .req('post', `${BASE}/devices`)
      .send({ schemas: [DEVICE_SCHEMA_URN], serialNumber: 'SN-Routed' });
    assert.equal(created.status, 201, created.text);
    const id: string = created.body.id;
    assert.equal(created.headers['location'], `${t.url}${BASE}/Devices/${id}`);
    for (const path of ['Devices', 'devices', 'DEVICES/.search']) {
      const method = path.endsWith('.search') ? 'post' : 'get';
      const res = await t
        .req(method, `${BASE}/${path}`)
        .send(method === 'post' ? { schemas: [SEARCH_REQUEST] } : undefined);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.Resources.map((r: { id: string }) => r.id),
        [id],
      );
    }
    assert.equal((await t.req('get', `${BASE}/DEVICES/${id}`)).body.serialNumber, 'SN-Routed');
    const rows: { serial_number_key: string }[] = await t.db.query('SELECT serial_number_key FROM devices');
    assert.deepEqual(
      rows.map((r) => r.serial_number_key),
      ['sn-routed'],
    );
    expectScimError(await t.req('get', `${BASE}/Devices/d-1`), 404);
    expectScimError(await t.req('delete', `${BASE}/Devices/d-1`), 404);
    // The collection routes of every resource endpoint exist: a PUT to the collection is 405, not 404.
    const put = await t.req('put', `${BASE}/Devices`).send({});
    expectScimError(put, 405);
    assert.equal(put.headers['allow'], 'GET, POST');
    expectScimError(await t.req('get', `${BASE}/Gadgets`), 404);
    assert.equal((await t.req('delete', `${BASE}/Devices/${id}`)).status, 204);
  });

  it('refuses a second resource with the same unique value (case-insensitively) with 409 uniqueness naming it', async () => {
    const first = await t
      .req('post', `${BASE}/Devices`)
      .send({ schemas: [DEVICE_SCHEMA_URN], serialNumber: 'SN-Unique' });
    assert.equal(first.status, 201, first.text);
    const again = await t
      .req('post', `${BASE}/Devices`)
      .send({ schemas: [DEVICE_SCHEMA_URN], serialNumber: 'sn-unique' });
    expectScimError(again, 409, 'uniqueness');
    assert.match(again.body.detail, /serialNumber 'sn-unique'/);
    const other = await t
      .req('post', `${BASE}/Devices`)
      .send({ schemas: [DEVICE_SCHEMA_URN], serialNumber: 'SN-Other' });
    const put = await t
      .req('put', `${BASE}/Devices/${other.body.id}`)
      .send({ schemas: [DEVICE_SCHEMA_URN], serialNumber: 'SN-UNIQUE' });
    expectScimError(put, 409, 'uniqueness');
    assert.equal((await t.req('get', `${BASE}/Devices/${other.body.id}`)).body.meta.version, other.body.meta.version);
    for (const res of [first, other])
      assert.equal((await t.req('delete', `${BASE}/Devices/${res.body.id}`)).status, 204);
  });

  it('leaves Users and Groups as they were, and root search searches all three types', async () => {
    const created = await t.req('post', `${BASE}/Users`).send(userBody('device.owner'));
    assert.equal(created.status, 201, created.text);
    const group = await t.req('post', `${BASE}/Groups`).send({ schemas: [GROUP_SCHEMA], displayName: 'Device owners' });
    assert.equal(group.status, 201, group.text);
    const device = await t.req('post', `${BASE}/Devices`).send({ schemas: [DEVICE_SCHEMA_URN], serialNumber: 'X1' });
    assert.equal(device.status, 201, device.text);
    const search = await t.req('post', `${BASE}/.search`).send({ schemas: [SEARCH_REQUEST] });
    assert.equal(search.status, 200, search.text);
    assert.equal(search.body.totalResults, 3);
    assert.deepEqual(
      search.body.Resources.map((r: { meta: { resourceType: string } }) => r.meta.resourceType),
      ['User', 'Group', 'Device'],
    );
    // A filter only the Device schema defines matches only Devices (RFC 7644 §3.4.2.1).
    const byType = await t
      .req('post', `${BASE}/.search`)
      .send({ schemas: [SEARCH_REQUEST], filter: 'serialNumber eq "x1"' });
    assert.equal(byType.status, 200, byType.text);
    assert.deepEqual(
      byType.body.Resources.map((r: { id: string }) => r.id),
      [device.body.id],
    );
    expectScimError(
      await t.req('post', `${BASE}/.search`).send({ schemas: [SEARCH_REQUEST], filter: 'gadgetName eq "x1"' }),
      400,
      'invalidFilter',
    );
  });
});
