import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, acmeDefinition, schemasPath } from '../setup/extension-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Besides the three: one attribute of each remaining comparable type. */
const MORE = [
  { name: 'hired', type: 'dateTime' },
  { name: 'remote', type: 'boolean' },
  { name: 'rate', type: 'decimal' },
];

/** The custom-extension walk-through, on the default directory over HTTP. */
describe('Custom schema extensions', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await startTestApp();
    const res = await t.req('post', schemasPath(1)).send(acmeDefinition({}, MORE));
    assert.equal(res.status, 201, res.text);
  });
  after(async () => {
    await t.close();
  });

  const create = (name: string, ext: Record<string, unknown>) =>
    t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody(name, { [ACME]: ext }));
  const list = (query: Record<string, string>) => t.req('get', `${BASE}/Users`).query(query);
  const names = (res: { body: { Resources?: { userName: string }[] } }) =>
    (res.body.Resources ?? []).map((r) => r.userName);

  it('creates users with the extension, coerced like core attributes', async () => {
    const rows: [string, Record<string, unknown>][] = [
      ['nine', { costCenter: 'X', badge: 9, projects: [{ value: 'p1', role: 'lead' }], rate: 1.25 }],
      ['ten', { costCenter: 'Y', badge: '10', projects: [{ value: 'p1', role: 'member' }], rate: 10.5 }],
      ['hundred', { costCenter: 'x', badge: 100, projects: [{ value: 'p2', role: 'lead' }], rate: '2' }],
    ];
    for (const [name, ext] of rows) {
      const res = await create(name, ext);
      assert.equal(res.status, 201, res.text);
      ids[name] = res.body.id;
    }
    const res = await t.req('get', `${BASE}/Users/${ids['ten']}`).expect(200);
    assert.ok(res.body.schemas.includes(ACME));
    // An integer sent as "10" is stored and returned as the number 10 (RFC 7643 §2.3.4).
    assert.deepEqual(res.body[ACME], {
      costCenter: 'Y',
      badge: 10,
      projects: [{ value: 'p1', role: 'member' }],
      rate: 10.5,
    });
    expectScimError(await create('bad-badge', { badge: 'ten' }), 400, 'invalidValue');
  });

  it('filters a string extension attribute case-insensitively (caseExact false)', async () => {
    const res = await list({ filter: `${ACME}:costCenter eq "X"`, sortBy: 'userName' }).expect(200);
    assert.deepEqual(names(res), ['hundred', 'nine']);
  });

  it('compares an integer attribute as a number: badge gt 10 is 100 only, not 9', async () => {
    assert.deepEqual(names(await list({ filter: `${ACME}:badge gt 10` }).expect(200)), ['hundred']);
    assert.deepEqual(names(await list({ filter: `${ACME}:badge ge 10`, sortBy: 'userName' })), ['hundred', 'ten']);
    assert.deepEqual(names(await list({ filter: `${ACME}:badge lt 10` })), ['nine']);
  });

  it('compares decimals numerically, dateTimes chronologically and booleans as booleans', async () => {
    assert.deepEqual(names(await list({ filter: `${ACME}:rate gt 1.5`, sortBy: `${ACME}:rate` })), ['hundred', 'ten']);
    const times: [string, string, boolean][] = [
      ['nine', '2026-03-01T10:00:00+02:00', true],
      ['ten', '2026-03-01T09:00:00Z', false],
      ['hundred', '2025-12-31T23:30:00-01:00', true],
    ];
    for (const [name, hired, remote] of times) {
      const res = await t
        .req('patch', `${BASE}/Users/${ids[name]}`)
        .set('Content-Type', SCIM_JSON)
        .send({ schemas: [PATCH_OP], Operations: [{ op: 'add', value: { [ACME]: { hired, remote } } }] });
      assert.equal(res.status, 200, res.text);
    }
    const nine = await t.req('get', `${BASE}/Users/${ids['nine']}`).expect(200);
    // Stored as the same instant in UTC (RFC 7643 §2.3.5), so text order is time order.
    assert.equal(nine.body[ACME].hired, '2026-03-01T08:00:00.000Z');
    // As text, nine's "2026-03-01T10:00:00+02:00" would sort after 08:30Z; as a time it is 08:00Z.
    assert.deepEqual(names(await list({ filter: `${ACME}:hired gt "2026-03-01T08:30:00Z"` })), ['ten']);
    assert.deepEqual(names(await list({ sortBy: `${ACME}:hired` })), ['hundred', 'nine', 'ten']);
    const remote = await list({ filter: `${ACME}:remote eq true`, sortBy: 'userName' }).expect(200);
    assert.deepEqual(names(remote), ['hundred', 'nine']);
    expectScimError(await list({ filter: `${ACME}:hired gt "yesterday"` }), 400, 'invalidFilter');
  });

  it('sorts by badge numerically, both ways, also with cursors', async () => {
    const up = await list({ sortBy: `${ACME}:badge` }).expect(200);
    assert.deepEqual(names(up), ['nine', 'ten', 'hundred']);
    const down = await list({ sortBy: `${ACME}:badge`, sortOrder: 'descending' }).expect(200);
    assert.deepEqual(names(down), ['hundred', 'ten', 'nine']);
    const first = await list({ sortBy: `${ACME}:badge`, count: '2', cursor: '' }).expect(200);
    assert.deepEqual(names(first), ['nine', 'ten']);
    const next = await list({ sortBy: `${ACME}:badge`, count: '2', cursor: first.body.nextCursor }).expect(200);
    assert.deepEqual(names(next), ['hundred']);
  });

  it('matches a value path on one element, in both forms', async () => {
    const bracket = await list({ filter: `${ACME}:projects[role eq "lead" and value eq "p1"]` }).expect(200);
    assert.deepEqual(names(bracket), ['nine']);
    const dotted = await list({ filter: `${ACME}:projects[role eq "lead"].value eq "p1"` }).expect(200);
    assert.deepEqual(names(dotted), ['nine']);
    // p1 as lead and p1 as member are different elements: "ten" has p1 but not as lead.
    const either = await list({ filter: `${ACME}:projects.value eq "p1"`, sortBy: 'userName' }).expect(200);
    assert.deepEqual(names(either), ['nine', 'ten']);
  });

  it('projects extension attributes by URN path', async () => {
    const res = await t
      .req('get', `${BASE}/Users/${ids['nine']}`)
      .query({ attributes: `${ACME}:badge` })
      .expect(200);
    assert.deepEqual(res.body[ACME], { badge: 9 });
    assert.equal(res.body.userName, undefined);
    const without = await t
      .req('get', `${BASE}/Users/${ids['nine']}`)
      .query({ excludedAttributes: `${ACME}:projects` })
      .expect(200);
    assert.deepEqual(Object.keys(without.body[ACME]).sort(), ['badge', 'costCenter', 'hired', 'rate', 'remote']);
  });

  it('PATCHes by path with the URN prefix, and pathless with URN keys (the Entra form)', async () => {
    const patch = (operations: unknown[]) =>
      t
        .req('patch', `${BASE}/Users/${ids['nine']}`)
        .set('Content-Type', SCIM_JSON)
        .send({ schemas: [PATCH_OP], Operations: operations });
    let res = await patch([{ op: 'replace', path: `${ACME}:costCenter`, value: 'Z' }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body[ACME].costCenter, 'Z');
    res = await patch([{ op: 'replace', value: { [`${ACME}:badge`]: '11', [ACME]: { costCenter: 'W' } } }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body[ACME].badge, 11);
    assert.equal(res.body[ACME].costCenter, 'W');
    res = await patch([{ op: 'add', path: `${ACME}:projects`, value: [{ value: 'p3', role: 'lead' }] }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body[ACME].projects.length, 2);
    res = await patch([{ op: 'remove', path: `${ACME}:projects[value eq "p1"]` }]);
    assert.deepEqual(res.body[ACME].projects, [{ value: 'p3', role: 'lead' }]);
    const found = await list({ filter: `${ACME}:badge eq 11` }).expect(200);
    assert.deepEqual(names(found), ['nine']);
  });

  it('refuses a duplicate badge with 409 uniqueness on POST, PUT and PATCH; delete frees it', async () => {
    expectScimError(await create('dup', { badge: 100 }), 409, 'uniqueness');
    const put = await t
      .req('put', `${BASE}/Users/${ids['ten']}`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('ten', { [ACME]: { badge: 100 } }));
    expectScimError(put, 409, 'uniqueness');
    const patch = await t
      .req('patch', `${BASE}/Users/${ids['ten']}`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: `${ACME}:badge`, value: 11 }] });
    expectScimError(patch, 409, 'uniqueness');
    // The badge the PATCH above gave up (9 -> 11) is free again.
    assert.equal((await create('nine-again', { badge: 9 })).status, 201);
    const rows = await t.db.query(
      `SELECT value_key FROM extension_unique_values WHERE resource_id = '${ids['hundred']}'`,
    );
    assert.deepEqual(rows, [{ value_key: '100' }]);
    await t.req('delete', `${BASE}/Users/${ids['hundred']}`).expect(204);
    assert.equal((await create('hundred-again', { badge: 100 })).status, 201);
  });

  it('refuses a user without a required extension (400), once the extension is required', async () => {
    const required = await t.req('put', schemasPath(1, ACME)).send(acmeDefinition({ required: true }, MORE));
    assert.equal(required.status, 200, required.text);
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody('no-ext'));
    expectScimError(res, 400, 'invalidValue');
    assert.match(res.body.detail, new RegExp(ACME.replaceAll('.', '\\.')));
    const types = await t.req('get', `${BASE}/ResourceTypes/User`).expect(200);
    assert.ok(
      types.body.schemaExtensions.some((e: { schema: string; required: boolean }) => e.schema === ACME && e.required),
    );
    await t.req('put', schemasPath(1, ACME)).send(acmeDefinition({}, MORE)).expect(200);
    assert.equal((await t.req('post', `${BASE}/Users`).send(userBody('no-ext'))).status, 201);
  });

  it('publishes the extension in /Schemas and /ResourceTypes', async () => {
    const schema = await t.req('get', `${BASE}/Schemas/${ACME}`).expect(200);
    assert.deepEqual(
      schema.body.attributes.map((a: { name: string; type: string }) => [a.name, a.type]),
      [
        ['costCenter', 'string'],
        ['badge', 'integer'],
        ['projects', 'complex'],
        ['hired', 'dateTime'],
        ['remote', 'boolean'],
        ['rate', 'decimal'],
      ],
    );
    assert.equal(schema.body.attributes[1].uniqueness, 'server');
    const types = await t.req('get', `${BASE}/ResourceTypes/User`).expect(200);
    assert.deepEqual(
      types.body.schemaExtensions.map((e: { schema: string }) => e.schema),
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', ACME],
    );
  });
});
