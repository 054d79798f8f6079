import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, acmeDefinition, schemasPath } from '../setup/extension-helpers.js';
import { PATCH_OP, type Json, type Op } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import {
  BASE,
  ENTERPRISE,
  GROUP_SCHEMA,
  SCIM_JSON,
  startTestApp,
  userBody,
  type TestApp,
  type TestDirectory,
  USER_SCHEMA,
} from '../setup/test-app.js';

/*
 * The forms Entra ID (and Python's scim2-models) send that a strict reading refused:
 * `manager` as a bare path with an array, object or string value; a second group of one
 * displayName (409, per directory setting); an extension value carrying its own `schemas`;
 * and the discovery documents describing all they serve.
 */

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

describe('Entra forms and discovery gaps', () => {
  let t: TestApp;
  let strict: TestDirectory;
  let lax: TestDirectory;
  let custom: TestDirectory;
  const send = (dir: TestDirectory | undefined, method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
    t
      .req(method, `${dir?.base ?? BASE}${path}`, dir?.token)
      .set('Content-Type', SCIM_JSON)
      .send(body as object);
  const patch = (dir: TestDirectory | undefined, type: string, id: string, ops: Op[]) =>
    send(dir, 'patch', `/${type}/${id}`, { schemas: [PATCH_OP], Operations: ops });
  const create = async (dir: TestDirectory | undefined, type: 'Users' | 'Groups', body: Json): Promise<Json> => {
    const res = await send(dir, 'post', `/${type}`, body);
    assert.equal(res.status, 201, res.text);
    return res.body as Json;
  };
  const group = (displayName: string): Json => ({ schemas: [GROUP_SCHEMA], displayName });
  const stored = async (table: 'users' | 'groups', id: string): Promise<Json> => {
    const [row] = await t.db.query(`SELECT doc FROM ${table} WHERE id = '${id}'`);
    return JSON.parse(row.doc) as Json;
  };
  const uniqueKeys = async (directory: number): Promise<(string | null)[]> =>
    (
      await t.db.query(
        `SELECT display_name_unique_key AS k FROM groups WHERE directory_id = ${directory} ORDER BY display_name_key`,
      )
    ).map((r: Json) => r['k'] as string | null);

  before(async () => {
    t = await startTestApp();
    strict = await t.createDirectory('entra-strict', { patchLenient: false });
    lax = await t.createDirectory('entra-lax', { groupDisplayNameUnique: false });
    custom = await t.createDirectory('entra-custom');
    const registered = await t.req('post', schemasPath(custom.id)).send(acmeDefinition());
    assert.equal(registered.status, 201, registered.text);
  });
  after(async () => {
    await t.close();
  });

  it('lenient manager: the documented array, the object and the bare id at path "manager"; "", null and remove clear it', async () => {
    const boss = await create(undefined, 'Users', userBody('boss@entra.test'));
    const other = await create(undefined, 'Users', userBody('other-boss@entra.test'));
    const user = await create(undefined, 'Users', userBody('report@entra.test'));
    const manager = async (): Promise<unknown> => {
      const res = await t.req('get', `${BASE}/Users/${user.id}`);
      assert.equal(res.status, 200);
      const fromDoc = (await stored('users', user.id))[ENTERPRISE]?.manager;
      assert.deepEqual(res.body[ENTERPRISE]?.manager, fromDoc, 'the response shows what is stored');
      return fromDoc;
    };
    // https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
    const documented = { op: 'Add', path: 'manager', value: [{ $ref: null, value: boss.id }] };
    assert.equal((await patch(undefined, 'Users', user.id, [documented])).status, 200);
    assert.deepEqual(await manager(), { value: boss.id });
    assert.deepEqual((await stored('users', user.id)).schemas, [USER_SCHEMA, ENTERPRISE]);
    const forms: [unknown, unknown][] = [
      [{ value: other.id }, { value: other.id }],
      [boss.id, { value: boss.id }],
      ['', undefined],
      [other.id, { value: other.id }],
      [null, undefined],
    ];
    for (const [value, expected] of forms) {
      const res = await patch(undefined, 'Users', user.id, [{ op: 'Add', path: 'manager', value }]);
      assert.equal(res.status, 200, `${JSON.stringify(value)}: ${res.text}`);
      assert.deepEqual(await manager(), expected, JSON.stringify(value));
    }
    assert.equal(
      (await patch(undefined, 'Users', user.id, [{ op: 'Replace', path: 'manager', value: boss.id }])).status,
      200,
    );
    assert.equal((await patch(undefined, 'Users', user.id, [{ op: 'Remove', path: 'manager' }])).status, 200);
    assert.equal(await manager(), undefined);
    // The enterprise object left empty goes, with its URN (RFC 7644 §3.5.2).
    assert.deepEqual((await stored('users', user.id)).schemas, [USER_SCHEMA]);
  });

  it('strict manager (RFC 7644 §3.10, §3.5.2.1): the URN-qualified path with an object; bare name, array and string are 400', async () => {
    const boss = await create(strict, 'Users', userBody('boss@strict.test'));
    const user = await create(strict, 'Users', userBody('report@strict.test'));
    expectScimError(
      await patch(strict, 'Users', user.id, [{ op: 'add', path: 'manager', value: { value: boss.id } }]),
      400,
      'invalidPath',
    );
    const qualified = `${ENTERPRISE}:manager`;
    for (const value of [[{ value: boss.id }], boss.id, '']) {
      expectScimError(
        await patch(strict, 'Users', user.id, [{ op: 'add', path: qualified, value }]),
        400,
        'invalidValue',
      );
    }
    assert.equal((await stored('users', user.id))[ENTERPRISE], undefined, 'nothing was written');
    const ok = await patch(strict, 'Users', user.id, [{ op: 'add', path: qualified, value: { value: boss.id } }]);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual((await stored('users', user.id))[ENTERPRISE], { manager: { value: boss.id } });
    assert.equal((await patch(strict, 'Users', user.id, [{ op: 'remove', path: qualified }])).status, 200);
    assert.equal((await stored('users', user.id))[ENTERPRISE], undefined);
  });

  it('a bare name resolves to the one extension defining it, a custom one included; two extensions is 400 naming both', async () => {
    const user = await create(custom, 'Users', userBody('badge@custom.test'));
    const res = await patch(custom, 'Users', user.id, [
      { op: 'add', path: 'badge', value: 7 },
      { op: 'add', path: 'department', value: 'Sales' },
    ]);
    assert.equal(res.status, 200, res.text);
    const doc = await stored('users', user.id);
    assert.deepEqual(doc[ACME], { badge: 7 });
    assert.deepEqual(doc[ENTERPRISE], { department: 'Sales' });
    // costCenter: the enterprise extension's and acme's.
    const ambiguous = await patch(custom, 'Users', user.id, [{ op: 'add', path: 'costCenter', value: 'C1' }]);
    expectScimError(ambiguous, 400, 'invalidPath');
    assert.ok(
      ambiguous.body.detail.includes(ENTERPRISE) && ambiguous.body.detail.includes(ACME),
      ambiguous.body.detail,
    );
    // A core attribute keeps its name: displayName is User's, not an extension's.
    assert.equal((await patch(custom, 'Users', user.id, [{ op: 'add', path: 'displayName', value: 'B' }])).status, 200);
    assert.equal((await stored('users', user.id))['displayName'], 'B');
  });

  it("an extension value's own schemas key is ignored in lenient mode (PATCH, POST); another URN there stays 400", async () => {
    const user = await create(undefined, 'Users', userBody('scim2-models@entra.test'));
    const op = (schemas: string[]): Op => ({
      op: 'add',
      path: ENTERPRISE,
      value: { schemas, employeeNumber: '7' },
    });
    const res = await patch(undefined, 'Users', user.id, [op([ENTERPRISE])]);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((await stored('users', user.id))[ENTERPRISE], { employeeNumber: '7' });
    expectScimError(await patch(undefined, 'Users', user.id, [op([GROUP_SCHEMA])]), 400, 'invalidPath');
    const pathless = await patch(undefined, 'Users', user.id, [
      { op: 'replace', value: { [ENTERPRISE]: { schemas: [ENTERPRISE], employeeNumber: '8' } } },
    ]);
    assert.equal(pathless.status, 200, pathless.text);
    assert.deepEqual((await stored('users', user.id))[ENTERPRISE], { employeeNumber: '8' });
    // Strict mode: not an attribute of the extension.
    const strictUser = await create(strict, 'Users', userBody('scim2-models@strict.test'));
    expectScimError(await patch(strict, 'Users', strictUser.id, [op([ENTERPRISE])]), 400, 'invalidPath');
    // POST: the same object in a body.
    const posted = await create(
      undefined,
      'Users',
      userBody('posted@entra.test', { [ENTERPRISE]: { schemas: [ENTERPRISE], department: 'R&D' } }),
    );
    assert.deepEqual((await stored('users', posted.id))[ENTERPRISE], { department: 'R&D' });
  });

  it('Group displayName is unique per directory by default: POST, PUT and PATCH renames are 409 uniqueness', async () => {
    const first = await create(undefined, 'Groups', group('Engineering'));
    for (const name of ['Engineering', 'ENGINEERING', ' engineering']) {
      expectScimError(await send(undefined, 'post', '/Groups', group(name)), 409, 'uniqueness');
    }
    const second = await create(undefined, 'Groups', group('Marketing'));
    expectScimError(await send(undefined, 'put', `/Groups/${second.id}`, group('engineering')), 409, 'uniqueness');
    const renamed = await patch(undefined, 'Groups', second.id, [
      { op: 'replace', path: 'displayName', value: 'Engineering' },
    ]);
    expectScimError(renamed, 409, 'uniqueness');
    assert.match(renamed.body.detail, /displayName 'Engineering'/);
    // Renaming a group to its own name in another case is no conflict.
    const own = await patch(undefined, 'Groups', first.id, [
      { op: 'replace', path: 'displayName', value: 'engineering' },
    ]);
    assert.equal(own.status, 200, own.text);
    const rows = await t.db.query(
      `SELECT display_name, display_name_unique_key AS k FROM groups WHERE directory_id = 1 ORDER BY display_name_key`,
    );
    assert.deepEqual(
      rows.map((r: Json) => [r['display_name'], r['k']]),
      [
        ['engineering', 'engineering'],
        ['Marketing', 'marketing'],
      ],
    );
    // Another directory holds its own names.
    await create(custom, 'Groups', group('Engineering'));
  });

  it('groupDisplayNameUnique false allows equal names; turning it on is 409 while they exist, then fills the keys; off clears them', async () => {
    const a = await create(lax, 'Groups', group('Ops'));
    const b = await create(lax, 'Groups', group('ops'));
    assert.deepEqual(await uniqueKeys(lax.id), [null, null]);
    const schemas = async (): Promise<string> => {
      const res = await t.req('get', `${lax.base}/Schemas/${GROUP_SCHEMA}`, lax.token);
      assert.equal(res.status, 200);
      return res.body.attributes.find((x: Json) => x['name'] === 'displayName').uniqueness as string;
    };
    assert.equal(await schemas(), 'none');
    const on = (value: boolean | null) =>
      t.req('patch', `/admin/directories/${lax.id}`).send({ settings: { groupDisplayNameUnique: value } });
    const refused = await on(true);
    expectScimError(refused, 409);
    assert.match(refused.body.detail, /'Ops'/);
    const [row] = await t.db.query(`SELECT settings FROM directories WHERE id = ${lax.id}`);
    assert.deepEqual(JSON.parse(row.settings), { groupDisplayNameUnique: false }, 'the setting is unchanged');
    assert.equal(
      (await patch(lax, 'Groups', b.id, [{ op: 'replace', path: 'displayName', value: 'Ops 2' }])).status,
      200,
    );
    const accepted = await on(true);
    assert.equal(accepted.status, 200, accepted.text);
    assert.deepEqual(await uniqueKeys(lax.id), ['ops', 'ops 2']);
    assert.equal(await schemas(), 'server');
    expectScimError(await send(lax, 'post', '/Groups', group('OPS')), 409, 'uniqueness');
    // Unset follows GROUP_DISPLAY_NAME_UNIQUE (true): no change, the keys stay.
    assert.equal((await on(null)).status, 200);
    assert.deepEqual(await uniqueKeys(lax.id), ['ops', 'ops 2']);
    assert.equal((await on(false)).status, 200);
    assert.deepEqual(await uniqueKeys(lax.id), [null, null]);
    assert.equal(await schemas(), 'none');
    await create(lax, 'Groups', group('OPS'));
    assert.ok(a.id);
  });

  it('/Schemas describes every attribute ServiceProviderConfig returns, RFC 9865 pagination included', async () => {
    const spc = await t.req('get', `${BASE}/ServiceProviderConfig`);
    const schema = await t.req('get', `${BASE}/Schemas/${SPC_SCHEMA}`);
    assert.equal(spc.status, 200);
    assert.equal(schema.status, 200);
    const undescribed: string[] = [];
    const walk = (value: Json, attributes: Json[], prefix: string): void => {
      for (const [key, item] of Object.entries(value)) {
        // schemas and meta are common attributes (RFC 7643 §3.1), of no schema.
        if (prefix === '' && (key === 'schemas' || key === 'meta')) continue;
        const def = attributes.find((a) => String(a['name']).toLowerCase() === key.toLowerCase());
        if (!def) {
          undescribed.push(`${prefix}${key}`);
          continue;
        }
        const items = Array.isArray(item) ? item : [item];
        for (const one of items) {
          if (def['type'] === 'complex') walk(one as Json, (def['subAttributes'] as Json[]) ?? [], `${prefix}${key}.`);
        }
      }
    };
    walk(spc.body as Json, schema.body.attributes as Json[], '');
    assert.deepEqual(undescribed, []);
    const pagination = (schema.body.attributes as Json[]).find((a) => a['name'] === 'pagination');
    assert.equal(pagination?.['mutability'], 'readOnly');
  });

  it('externalId is listed in the User and Group schemas and still validated as the common attribute', async () => {
    for (const urn of [USER_SCHEMA, GROUP_SCHEMA]) {
      const res = await t.req('get', `${BASE}/Schemas/${urn}`);
      const listed = (res.body.attributes as Json[]).filter((a) => a['name'] === 'externalId');
      assert.equal(listed.length, 1, urn);
      assert.equal(listed[0]?.['caseExact'], true);
      assert.equal(listed[0]?.['mutability'], 'readWrite');
      assert.equal(listed[0]?.['required'], false);
    }
    // Optional, stored once at the root, caseExact in filters.
    const user = await create(undefined, 'Users', userBody('ext@entra.test', { externalId: 'Ext-1' }));
    assert.equal((await stored('users', user.id))['externalId'], 'Ext-1');
    const found = await t.req('get', `${BASE}/Users`).query({ filter: 'externalId eq "ext-1"' });
    assert.equal(found.body.totalResults, 0);
    const exact = await t.req('get', `${BASE}/Users`).query({ filter: 'externalId eq "Ext-1"' });
    assert.equal(exact.body.totalResults, 1);
  });
});
