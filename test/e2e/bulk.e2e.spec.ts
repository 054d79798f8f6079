import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { DEVICE_SCHEMA_URN, startDeviceApp } from '../setup/device-type.js';
import { ACME, acmeDefinition, schemasPath } from '../setup/extension-helpers.js';
import type { Json } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import {
  BASE,
  ENTERPRISE,
  ERROR_SCHEMA,
  GROUP_SCHEMA,
  startTestApp,
  USER_SCHEMA,
  userBody,
  type TestApp,
  type TestDirectory,
} from '../setup/test-app.js';

/* POST /Bulk (RFC 7644 §3.7): references by bulkId, circles, failOnErrors, versions, limits, directories. */

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX_OPERATIONS = 50;
const MAX_PAYLOAD = 65536;

describe('POST /Bulk (RFC 7644 §3.7)', () => {
  let t: TestApp;
  let other: TestDirectory;
  before(async () => {
    t = await startTestApp({
      env: { BULK_MAX_OPERATIONS: String(MAX_OPERATIONS), BULK_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD) },
    });
    other = await t.createDirectory('bulk-other');
  });
  after(async () => {
    await t.close();
  });

  const rows = (sql: string, params: SqlParam[] = []): Promise<Json[]> =>
    t.db.query<Json[]>(...toDriverQuery(t.dialect, sql, params));
  const bulk = (operations: unknown[], extra: Json = {}, base = BASE, token?: string): Promise<Response> =>
    t
      .req('post', `${base}/Bulk`, token)
      .set('Content-Type', 'application/scim+json')
      .send({ schemas: [BULK_REQUEST], Operations: operations, ...extra });
  /** The BulkResponse envelope; its Operations. */
  const expectBulk = (res: Response, count: number): Json[] => {
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(res.body.schemas, [BULK_RESPONSE]);
    assert.equal(res.body.Operations.length, count, res.text);
    return res.body.Operations as Json[];
  };
  const expectOpError = (op: Json, status: number, detail?: RegExp): void => {
    assert.equal(op.status, String(status), JSON.stringify(op));
    assert.deepEqual(op.response.schemas, [ERROR_SCHEMA]);
    assert.equal(op.response.status, String(status));
    if (detail) assert.match(op.response.detail, detail);
  };
  const idOf = (op: Json): string => String(op.location).split('/').pop() as string;
  const userByName = async (userName: string, directoryId = 1): Promise<Json | undefined> =>
    (
      await rows('SELECT id, version, doc FROM users WHERE user_name = $1 AND directory_id = $2', [
        userName,
        directoryId,
      ])
    )[0];
  const groupByName = async (name: string): Promise<Json | undefined> =>
    (await rows('SELECT id, version FROM groups WHERE display_name = $1', [name]))[0];
  const membersOf = async (groupId: string): Promise<string[]> =>
    (await rows('SELECT member_id FROM group_members WHERE group_id = $1', [groupId]))
      .map((r) => String(r['member_id']))
      .sort();
  const managerOf = (row: Json | undefined): unknown => JSON.parse(String(row?.['doc']))[ENTERPRISE]?.manager?.value;
  const postUser = (bulkId: string, userName: string, extra: Json = {}): Json => ({
    method: 'POST',
    path: '/Users',
    bulkId,
    data: userBody(userName, extra),
  });
  const postGroup = (bulkId: string, displayName: string, members: string[]): Json => ({
    method: 'POST',
    path: '/Groups',
    bulkId,
    data: { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ type: 'User', value })) },
  });

  it('the §3.7.2 example: a user and a group naming it by bulkId; statuses as strings, location, version', async () => {
    const ops = expectBulk(
      await bulk([postUser('qwerty', 'alice'), postGroup('ytrewq', 'Tour Guides', ['bulkId:qwerty'])]),
      2,
    );
    const alice = await userByName('alice');
    const group = await groupByName('Tour Guides');
    assert.ok(alice && group);
    assert.deepEqual(ops[0], {
      method: 'POST',
      bulkId: 'qwerty',
      location: `${t.url}${BASE}/Users/${alice['id']}`,
      version: 'W/"1"',
      status: '201',
    });
    assert.equal(ops[1].location, `${t.url}${BASE}/Groups/${group['id']}`);
    assert.equal(ops[1].status, '201');
    assert.deepEqual(await membersOf(String(group['id'])), [alice['id']]);
  });

  it('forward references: a group and a manager naming users created later in the request', async () => {
    const ops = expectBulk(
      await bulk([
        postGroup('g', 'Forward', ['bulkId:u1', 'bulkId:u2']),
        postUser('u1', 'fwd-1', { [ENTERPRISE]: { manager: { value: 'bulkId:u2' } } }),
        postUser('u2', 'fwd-2'),
      ]),
      3,
    );
    // Run in the order the references need (u2, u1, g), answered in the order of the request.
    assert.deepEqual(
      ops.map((o) => [o.bulkId, o.status]),
      [
        ['g', '201'],
        ['u1', '201'],
        ['u2', '201'],
      ],
    );
    const [g, u1Row, u2Row] = await Promise.all(
      ['Forward', 'fwd-1', 'fwd-2'].map((n, i) => (i === 0 ? groupByName(n) : userByName(n))),
    );
    assert.ok(
      String(u2Row?.['created']) <= String(u1Row?.['created']) && String(u1Row?.['created']) <= String(g?.['created']),
    );
    const [u1, u2] = [await userByName('fwd-1'), await userByName('fwd-2')];
    assert.equal(managerOf(u1), u2?.['id']);
    const group = await groupByName('Forward');
    assert.deepEqual(await membersOf(String(group?.['id'])), [u1?.['id'], u2?.['id']].sort());
  });

  it('backward references in a PATCH value and in a path; PUT and DELETE through bulkId paths', async () => {
    const ops = expectBulk(
      await bulk([
        postUser('b1', 'back-1'),
        postGroup('bg', 'Backward', []),
        {
          method: 'PATCH',
          path: '/Groups/bulkId:bg',
          data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:b1' }] }] },
        },
        { method: 'PUT', path: '/Users/bulkId:b1', data: userBody('back-1', { displayName: 'Back One' }) },
      ]),
      4,
    );
    assert.deepEqual(
      ops.map((o) => o.status),
      ['201', '201', '200', '200'],
    );
    const user = await userByName('back-1');
    const group = await groupByName('Backward');
    assert.deepEqual(await membersOf(String(group?.['id'])), [user?.['id']]);
    assert.equal(JSON.parse(String(user?.['doc'])).displayName, 'Back One');
    assert.equal(ops[3].version, `W/"${user?.['version']}"`);
    const deleted = expectBulk(await bulk([{ method: 'DELETE', path: `/Groups/${group?.['id']}` }]), 1);
    assert.deepEqual(deleted[0], {
      method: 'DELETE',
      location: `${t.url}${BASE}/Groups/${group?.['id']}`,
      status: '204',
    });
    assert.equal(await groupByName('Backward'), undefined);
  });

  it('circular manager references (§3.7.1) are resolved: each user names the other', async () => {
    const ops = expectBulk(
      await bulk([
        postUser('ma', 'circle-a', { [ENTERPRISE]: { manager: { value: 'bulkId:mb' } } }),
        postUser('mb', 'circle-b', { [ENTERPRISE]: { manager: { value: 'bulkId:ma' } } }),
      ]),
      2,
    );
    const [a, b] = [await userByName('circle-a'), await userByName('circle-b')];
    assert.deepEqual(
      ops.map((o) => o.status),
      ['201', '201'],
    );
    assert.equal(managerOf(a), b?.['id']);
    assert.equal(managerOf(b), a?.['id']);
    assert.deepEqual([idOf(ops[0]), idOf(ops[1])], [a?.['id'], b?.['id']]);
    assert.equal(ops[0].version, `W/"${a?.['version']}"`);
  });

  it('two groups containing each other: membership cycles are refused, so both are 409 and neither exists', async () => {
    const ops = expectBulk(
      await bulk([
        {
          ...postGroup('ga', 'Cycle A', []),
          data: { schemas: [GROUP_SCHEMA], displayName: 'Cycle A', members: [{ value: 'bulkId:gb', type: 'Group' }] },
        },
        {
          ...postGroup('gb', 'Cycle B', []),
          data: { schemas: [GROUP_SCHEMA], displayName: 'Cycle B', members: [{ value: 'bulkId:ga', type: 'Group' }] },
        },
      ]),
      2,
    );
    expectOpError(ops[1], 409, /circular bulkId references .*cycle/i);
    expectOpError(ops[0], 409, /refer to each other/);
    assert.equal(ops[0].location, undefined);
    assert.equal(await groupByName('Cycle A'), undefined);
    assert.equal(await groupByName('Cycle B'), undefined);
  });

  it('an unknown bulkId is 409 naming it, and a reference to a failed POST is 409 too; nothing is created', async () => {
    const ops = expectBulk(
      await bulk([
        postGroup('gx', 'Unknown Ref', ['bulkId:nobody']),
        postUser('bad', 'alice'),
        postGroup('gy', 'Failed Ref', ['bulkId:bad']),
        { method: 'DELETE', path: '/Users/bulkId:ghost' },
      ]),
      4,
    );
    expectOpError(ops[0], 409, /bulkId 'nobody' is not defined/);
    assert.equal(ops[1].response.scimType, 'uniqueness');
    expectOpError(ops[2], 409, /bulkId 'bad' names no resource: Operations\[1\]/);
    expectOpError(ops[3], 409, /bulkId 'ghost' is not defined/);
    assert.equal(ops[3].location, undefined, 'an unresolved bulkId has no resource to locate');
    assert.equal(await groupByName('Unknown Ref'), undefined);
    assert.equal(await groupByName('Failed Ref'), undefined);
  });

  it('failOnErrors: 1 stops after the first error; the later operation is neither run nor listed', async () => {
    await t.req('post', `${BASE}/Users`).send(userBody('taken'));
    const ops = expectBulk(await bulk([postUser('t1', 'taken'), postUser('t2', 'never-made')], { failOnErrors: 1 }), 1);
    expectOpError(ops[0], 409);
    assert.equal(ops[0].response.scimType, 'uniqueness');
    assert.equal(await userByName('never-made'), undefined);
    // Without failOnErrors every operation is processed (§3.7: as many as possible).
    expectBulk(await bulk([postUser('t3', 'taken'), postUser('t4', 'made')]), 2);
    assert.ok(await userByName('made'));
  });

  it('version is If-Match: PUT, PATCH and DELETE with a stale version are 412 and change nothing', async () => {
    const created = expectBulk(await bulk([postUser('v', 'versioned')]), 1)[0];
    const path = `/Users/${idOf(created)}`;
    const stale = 'W/"99"';
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'X' }] };
    const ops = expectBulk(
      await bulk([
        { method: 'PUT', path, version: stale, data: userBody('versioned', { displayName: 'X' }) },
        { method: 'PATCH', path, version: stale, data: patch },
        { method: 'DELETE', path, version: stale },
      ]),
      3,
    );
    for (const op of ops) expectOpError(op, 412);
    assert.equal(ops[2].location, `${t.url}${BASE}${path}`);
    assert.equal((await userByName('versioned'))?.['version'], 1);
    const fresh = expectBulk(await bulk([{ method: 'PATCH', path, version: created.version, data: patch }]), 1);
    assert.deepEqual([fresh[0].status, fresh[0].version], ['200', 'W/"2"']);
  });

  it('invalid operations fail alone: missing bulkId, unknown method, unknown endpoint, bad PATCH message', async () => {
    const ops = expectBulk(
      await bulk([
        { method: 'POST', path: '/Users', data: userBody('no-bulk-id') },
        { method: 'GET', path: '/Users' },
        { method: 'POST', path: '/Nothing', bulkId: 'n', data: {} },
        { method: 'PATCH', path: '/Users/x', data: { Operations: [] } },
        postUser('x'.repeat(257), 'long-bulk-id'),
        postUser('ok', 'still-made'),
      ]),
      6,
    );
    assert.deepEqual(
      ops.map((o) => o.status),
      ['400', '400', '404', '400', '400', '201'],
    );
    assert.match(ops[4].response.detail, /bulkId must be a string of at most 256/);
    assert.equal(await userByName('no-bulk-id'), undefined);
    assert.ok(await userByName('still-made'));
    expectScimError(await t.req('post', `${BASE}/Bulk`).send({ Operations: [] }), 400, 'invalidSyntax');
    expectScimError(await t.req('get', `${BASE}/Bulk`), 405);
    expectScimError(await t.req('delete', `${BASE}/Bulk`), 405);
  });

  it('limits: more than maxOperations or maxPayloadSize is 413 naming the limit, before anything runs', async () => {
    const many = Array.from({ length: MAX_OPERATIONS + 1 }, (_, i) => postUser(`m${i}`, `many-${i}`));
    const tooMany = await bulk(many);
    expectScimError(tooMany, 413);
    assert.match(tooMany.body.detail, new RegExp(`maxOperations \\(${MAX_OPERATIONS}\\)`));
    const big = await bulk([postUser('big', 'big', { displayName: 'x'.repeat(MAX_PAYLOAD) })]);
    expectScimError(big, 413);
    assert.match(big.body.detail, new RegExp(`maxPayloadSize \\(${MAX_PAYLOAD} bytes\\)`));
    assert.equal(await userByName('many-0'), undefined);
    assert.equal(await userByName('big'), undefined);
    const spc = await t.req('get', `${BASE}/ServiceProviderConfig`);
    assert.deepEqual(spc.body.bulk, { supported: true, maxOperations: MAX_OPERATIONS, maxPayloadSize: MAX_PAYLOAD });
  });

  it("an extension attribute of type reference takes a forward bulkId reference (the directory's own schema)", async () => {
    const buddy = { name: 'buddy', type: 'reference', referenceTypes: ['User'] };
    const registered = await t.req('post', schemasPath(other.id)).send(acmeDefinition({}, [buddy]));
    assert.equal(registered.status, 201, registered.text);
    const withBuddy = { schemas: [USER_SCHEMA, ACME], [ACME]: { buddy: 'bulkId:ry' } };
    const ops = expectBulk(
      await bulk([postUser('rx', 'ref-x', withBuddy), postUser('ry', 'ref-y')], {}, other.base, other.token),
      2,
    );
    assert.deepEqual(
      ops.map((o) => o.bulkId),
      ['rx', 'ry'],
    );
    const [x, y] = [await userByName('ref-x', other.id), await userByName('ref-y', other.id)];
    assert.equal(JSON.parse(String(x?.['doc']))[ACME].buddy, y?.['id']);
  });

  it("a directory's Bulk works in that directory only: another directory's resources are 404", async () => {
    const outsider = expectBulk(await bulk([postUser('d', 'outsider')]), 1)[0];
    const foreign = `/Users/${idOf(outsider)}`;
    const ops = expectBulk(
      await bulk(
        [
          postUser('mine', 'outsider'),
          { method: 'DELETE', path: foreign },
          { method: 'PUT', path: foreign, data: userBody('outsider', { displayName: 'hijacked' }) },
          postGroup('og', 'Other Group', ['bulkId:mine', idOf(outsider)]),
        ],
        {},
        other.base,
        other.token,
      ),
      4,
    );
    assert.equal(ops[0].status, '201');
    assert.match(String(ops[0].location), new RegExp(`/directories/${other.slug}${BASE}/Users/`));
    expectOpError(ops[1], 404);
    expectOpError(ops[2], 404);
    expectOpError(ops[3], 400);
    const own = await userByName('outsider', other.id);
    assert.equal(own?.['id'], idOf(ops[0]));
    const original = await userByName('outsider', 1);
    assert.equal(original?.['id'], idOf(outsider));
    assert.equal(original?.['version'], 1);
    assert.equal((await rows('SELECT id FROM groups WHERE directory_id = $1', [other.id])).length, 0);
  });
});

describe('POST /Bulk on a registered resource type of its own (Device: resource types are data)', () => {
  let t: TestApp;
  before(async () => {
    t = await startDeviceApp();
  });
  after(async () => {
    await t.close();
  });

  it('creates, patches and deletes Devices, its reference attribute resolved from a later POST', async () => {
    const res = await t.req('post', `${BASE}/Bulk`).send({
      schemas: [BULK_REQUEST],
      Operations: [
        {
          method: 'POST',
          path: '/Devices',
          bulkId: 'd1',
          data: { schemas: [DEVICE_SCHEMA_URN], serialNumber: 'SN-1', owner: 'bulkId:owner' },
        },
        { method: 'POST', path: '/Users', bulkId: 'owner', data: userBody('device-owner') },
        {
          method: 'POST',
          path: '/Devices',
          bulkId: 'd2',
          data: { schemas: [DEVICE_SCHEMA_URN], serialNumber: 'SN-2' },
        },
        { method: 'DELETE', path: '/Devices/bulkId:d2' },
      ],
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.Operations.map((o: Json) => [o.bulkId, o.status]),
      [
        ['d1', '201'],
        ['owner', '201'],
        ['d2', '201'],
        [undefined, '204'],
      ],
    );
    const [owner] = await t.db.query(
      ...toDriverQuery(t.dialect, 'SELECT id FROM users WHERE user_name = $1', ['device-owner']),
    );
    const devices: Json[] = await t.db.query('SELECT doc FROM devices');
    assert.deepEqual(
      devices.map((d) => JSON.parse(String(d['doc'])) as Json).map((d) => [d['serialNumber'], d['owner']]),
      [['SN-1', owner.id]],
    );
  });
});
