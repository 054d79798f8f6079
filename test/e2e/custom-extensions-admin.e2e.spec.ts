import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_PRINCIPAL, type DirectoryRef, type ScimContext } from '../../src/common/http/scim-context.js';
import { DiscoveryService } from '../../src/discovery/discovery.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { ACME, acmeDefinition, insertDirectory, schemasPath } from '../setup/extension-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, newSqlitePath, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

const OTHER: DirectoryRef = { id: 2, slug: 'ext-other', settings: {} };

function contextOf(directory: DirectoryRef): ScimContext {
  return { baseUrl: 'http://test/scim/v2', requestId: 'test', principal: SYSTEM_PRINCIPAL, directory };
}

describe('Custom schema extensions: registration, change rules, directories', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
    await insertDirectory(t, OTHER.id, OTHER.slug);
  });
  after(async () => {
    await t.db.query(`DELETE FROM directories WHERE id = ${OTHER.id}`);
    await t.close();
  });

  it('refuses invalid definitions with 400 naming the attribute path', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [acmeDefinition({}, [{ name: 'floor', type: 'float' }]), /attribute 'floor': unknown type "float"/],
      [acmeDefinition({ id: 'urn:ietf:params:scim:schemas:core:2.0:User' }), /clashes with the server's schema/],
      [acmeDefinition({ id: 'not a urn' }), /'id': must be a URN/],
      [
        acmeDefinition({}, [
          { name: 'desk', type: 'complex', subAttributes: [{ name: 'pos', type: 'complex', subAttributes: [] }] },
        ]),
        /attribute 'desk\.pos': a complex attribute cannot be a sub-attribute/,
      ],
      [acmeDefinition({}, [{ name: 'BADGE', type: 'string' }]), /attribute 'BADGE': is defined twice/],
    ];
    for (const [body, detail] of cases) {
      const res = await t.req('post', schemasPath(1)).send(body);
      expectScimError(res, 400, 'invalidValue');
      assert.match(res.body.detail, detail);
    }
    assert.deepEqual((await t.req('get', schemasPath(1)).expect(200)).body.Resources, []);
  });

  it('needs the admin scope and an existing directory', async () => {
    const scim = await t.issueToken(['scim'], 'scim-only');
    expectScimError(await t.req('get', schemasPath(1), scim), 403);
    expectScimError(await t.req('get', schemasPath(99)), 404);
    expectScimError(await t.req('get', '/admin/directories/abc/schemas'), 400, 'invalidValue');
  });

  it('registers, lists, gets, refuses a second registration, and removes an extension', async () => {
    const created = await t.req('post', schemasPath(1)).send(acmeDefinition());
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.id, ACME);
    assert.equal(created.body.resourceType, 'User');
    assert.equal(created.body.meta.version, 'W/"1"');
    const listed = await t.req('get', schemasPath(1)).expect(200);
    assert.deepEqual(
      listed.body.Resources.map((r: { id: string }) => r.id),
      [ACME],
    );
    const got = await t.req('get', schemasPath(1, ACME.toUpperCase())).expect(200);
    assert.equal(got.body.attributes[1].name, 'badge');
    expectScimError(await t.req('post', schemasPath(1)).send(acmeDefinition()), 409, 'uniqueness');
    await t.req('delete', schemasPath(1, ACME)).expect(204);
    expectScimError(await t.req('get', schemasPath(1, ACME)), 404);
    expectScimError(await t.req('get', `${BASE}/Schemas/${ACME}`), 404);
  });

  it('allows adding attributes; removing or retyping one that holds values is 409 unless asked for', async () => {
    await t.req('post', schemasPath(1)).send(acmeDefinition()).expect(201);
    const user = await t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('rules', { [ACME]: { costCenter: 'C1', badge: 7 } }))
      .expect(201);
    const added = await t
      .req('put', schemasPath(1, ACME))
      .send(acmeDefinition({}, [{ name: 'floor', type: 'integer' }]));
    assert.equal(added.status, 200, added.text);
    assert.equal(added.body.meta.version, 'W/"2"');

    // `projects` holds no values: removing it is allowed without asking.
    const withoutProjects = acmeDefinition();
    withoutProjects['attributes'] = (withoutProjects['attributes'] as { name: string }[]).filter(
      (a) => a.name !== 'projects',
    );
    await t.req('put', schemasPath(1, ACME)).send(withoutProjects).expect(200);

    const retyped = acmeDefinition();
    (retyped['attributes'] as Record<string, unknown>[])[1] = { name: 'badge', type: 'string' };
    const refusedRetype = await t.req('put', schemasPath(1, ACME)).send(retyped);
    expectScimError(refusedRetype, 409);
    assert.match(refusedRetype.body.detail, /badge' cannot be given another type/);

    const withoutCost = { ...withoutProjects, attributes: [{ name: 'badge', type: 'integer', uniqueness: 'server' }] };
    const refusedRemoval = await t.req('put', schemasPath(1, ACME)).send(withoutCost);
    expectScimError(refusedRemoval, 409);
    assert.match(refusedRemoval.body.detail, /costCenter' cannot be removed.*allowRemoval=true/);
    expectScimError(await t.req('delete', schemasPath(1, ACME)), 409);

    await t
      .req('put', `${schemasPath(1, ACME)}?allowRemoval=true`)
      .send(withoutCost)
      .expect(200);
    const after = await t.req('get', `${BASE}/Users/${user.body.id}`).expect(200);
    assert.deepEqual(after.body[ACME], { badge: 7 }, 'a removed attribute is no longer returned');
    expectScimError(
      await t.req('get', `${BASE}/Users`).query({ filter: `${ACME}:costCenter eq "C1"` }),
      400,
      'invalidFilter',
    );

    await t.req('delete', `${schemasPath(1, ACME)}?allowRemoval=true`).expect(204);
    const gone = await t.req('get', `${BASE}/Users/${user.body.id}`).expect(200);
    assert.equal(gone.body[ACME], undefined);
    assert.deepEqual(gone.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User']);
    const rows = await t.db.query(`SELECT resource_id FROM extension_unique_values`);
    assert.deepEqual(rows, [], 'the removed unique attribute left no side-table rows');

    // The integer badge 7 is still in the document: a new integer badge waits until it is replaced.
    const leftover = await t.req('post', schemasPath(1)).send(acmeDefinition());
    expectScimError(leftover, 409);
    assert.match(leftover.body.detail, /badge' still has values from an earlier definition/);
    await t
      .req('put', `${BASE}/Users/${user.body.id}`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('rules'))
      .expect(200);
  });

  it('refuses to re-add a removed sub-attribute with a typed type while values of its old type remain', async () => {
    const SUBS = 'urn:example:params:scim:schemas:extension:subs:2.0:User';
    const define = (level?: string, code?: string) => ({
      id: SUBS,
      name: 'Subs',
      resourceType: 'User',
      attributes: [
        {
          name: 'items',
          type: 'complex',
          multiValued: true,
          subAttributes: [{ name: 'value', type: 'string' }, ...(level ? [{ name: 'level', type: level }] : [])],
        },
        {
          name: 'info',
          type: 'complex',
          subAttributes: [{ name: 'note', type: 'string' }, ...(code ? [{ name: 'code', type: code }] : [])],
        },
      ],
    });
    await t.req('post', schemasPath(1)).send(define('string', 'string')).expect(201);
    await t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('subs', { [SUBS]: { items: [{ value: 'a', level: 'high' }], info: { note: 'n', code: 'x7' } } }))
      .expect(201);
    await t
      .req('put', `${schemasPath(1, SUBS)}?allowRemoval=true`)
      .send(define())
      .expect(200);
    const level = await t.req('put', schemasPath(1, SUBS)).send(define('integer'));
    expectScimError(level, 409);
    assert.match(level.body.detail, /subs:2\.0:User:items\.level' still has values from an earlier definition/);
    const code = await t.req('put', schemasPath(1, SUBS)).send(define(undefined, 'decimal'));
    expectScimError(code, 409);
    assert.match(code.body.detail, /info\.code' still has values/);
    // Text meets no coercion: a string sub-attribute may come back over its old values.
    await t.req('put', schemasPath(1, SUBS)).send(define('string', 'string')).expect(200);
    await t.req('delete', `${schemasPath(1, SUBS)}?allowRemoval=true`).expect(204);
  });

  it('extends Groups the same way: required attribute, filter, uniqueness', async () => {
    const urn = 'urn:example:params:scim:schemas:extension:acme:2.0:Group';
    const definition = {
      id: urn,
      name: 'AcmeGroup',
      resourceType: 'Group',
      attributes: [
        { name: 'site', type: 'string', required: true },
        { name: 'code', type: 'string', uniqueness: 'server', caseExact: false },
      ],
    };
    await t.req('post', schemasPath(1)).send(definition).expect(201);
    const group = (displayName: string, ext: Record<string, unknown>) =>
      t
        .req('post', `${BASE}/Groups`)
        .set('Content-Type', SCIM_JSON)
        .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, [urn]: ext });
    const made = await group('g-oslo', { site: 'Oslo', code: 'OSL' });
    assert.equal(made.status, 201, made.text);
    expectScimError(await group('g-none', { code: 'X' }), 400, 'invalidValue');
    // caseExact false: "osl" is the same code as "OSL".
    expectScimError(await group('g-dup', { site: 'Bergen', code: 'osl' }), 409, 'uniqueness');
    const found = await t
      .req('get', `${BASE}/Groups`)
      .query({ filter: `${urn}:site eq "oslo"` })
      .expect(200);
    assert.deepEqual(
      found.body.Resources.map((g: { displayName: string }) => g.displayName),
      ['g-oslo'],
    );
    await t.req('delete', `${BASE}/Groups/${made.body.id}`).expect(204);
    await t.req('delete', schemasPath(1, urn)).expect(204);
  });

  it("keeps one directory's extension out of another's /Schemas, /ResourceTypes and validation", async () => {
    await t.req('post', schemasPath(1)).send(acmeDefinition()).expect(201);
    const discovery = t.app.get(DiscoveryService);
    const users = t.app.get(UsersService);
    const other = contextOf(OTHER);
    const own = contextOf({ id: 1, slug: 'default', settings: {} });
    const urns = async (ctx: ScimContext) => (await discovery.schemas(ctx)).Resources.map((s) => s['id']);
    assert.ok((await urns(own)).includes(ACME));
    assert.ok(!(await urns(other)).includes(ACME));
    const type = await discovery.resourceType('User', other);
    assert.deepEqual(
      (type['schemaExtensions'] as { schema: string }[]).map((e) => e.schema),
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    );
    // Unknown there: ignored (STRICT_SCHEMA off), never stored or unique-checked.
    const projection = users.projection(undefined, undefined, other);
    const made = await users.create(userBody('other-dir', { [ACME]: { badge: 5 } }), projection, other);
    assert.equal(made.resource[ACME], undefined);
    assert.deepEqual(await t.db.query(`SELECT directory_id FROM extension_unique_values`), []);

    // Registered in the other directory too, with another shape: each sees its own.
    const own2 = { ...acmeDefinition(), attributes: [{ name: 'badge', type: 'string' }] };
    await t.req('post', schemasPath(OTHER.id)).send(own2).expect(201);
    const otherSchema = await discovery.schema(ACME, other);
    assert.equal((otherSchema['attributes'] as { type: string }[])[0]?.type, 'string');
    assert.equal(((await discovery.schema(ACME, own))['attributes'] as { type: string }[])[1]?.type, 'integer');
    const typed = await users.create(userBody('other-dir-2', { [ACME]: { badge: 'B-5' } }), projection, other);
    assert.deepEqual(typed.resource[ACME], { badge: 'B-5' });
    await t.req('delete', `${schemasPath(OTHER.id, ACME)}?allowRemoval=true`).expect(204);
    await t.req('delete', `${schemasPath(1, ACME)}?allowRemoval=true`).expect(204);
  });
});

describe('Custom schema extensions from SCIM_EXTENSIONS_FILE', () => {
  it('registers the file in the default directory at start; a bad file fails start-up clearly', async () => {
    const dir = newSqlitePath().replace(/scim\.sqlite$/, '');
    const good = `${dir}extensions.json`;
    writeFileSync(good, JSON.stringify({ schemas: [acmeDefinition({ required: false })] }));
    const t = await startTestApp({ env: { SCIM_EXTENSIONS_FILE: good } });
    try {
      const res = await t.req('get', `${BASE}/Schemas/${ACME}`).expect(200);
      assert.equal(res.body.attributes[0].name, 'costCenter');
    } finally {
      await t.close();
    }
    const bad = `${dir}bad.json`;
    writeFileSync(bad, JSON.stringify([acmeDefinition({}, [{ name: 'floor', type: 'float' }])]));
    await assert.rejects(
      startTestApp({ env: { SCIM_EXTENSIONS_FILE: bad } }),
      /SCIM_EXTENSIONS_FILE .*bad\.json: schema 0: .*attribute 'floor': unknown type "float"/,
    );
    await assert.rejects(
      startTestApp({ env: { SCIM_EXTENSIONS_FILE: `${dir}missing.json` } }),
      /SCIM_EXTENSIONS_FILE .*missing\.json: ENOENT/,
    );
  });
});

describe('Custom schema extensions across instances', () => {
  it('another instance sees a registration within SCHEMA_REFRESH_MS', async () => {
    const env = { SCHEMA_REFRESH_MS: '200' };
    const a = await startTestApp({ env });
    const b = await startTestApp({ env, keepData: true, ...(a.sqlitePath ? { sqlitePath: a.sqlitePath } : {}) });
    try {
      expectScimError(await b.req('get', `${BASE}/Schemas/${ACME}`, a.token), 404);
      await a.req('post', schemasPath(1)).send(acmeDefinition()).expect(201);
      await a.req('get', `${BASE}/Schemas/${ACME}`).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await b.req('get', `${BASE}/Schemas/${ACME}`, a.token).expect(200);
      const made = await b
        .req('post', `${BASE}/Users`, a.token)
        .set('Content-Type', SCIM_JSON)
        .send(userBody('via-b', { [ACME]: { badge: '42' } }));
      assert.equal(made.status, 201, made.text);
      assert.deepEqual(made.body[ACME], { badge: 42 });
      const dup = await a
        .req('post', `${BASE}/Users`)
        .set('Content-Type', SCIM_JSON)
        .send(userBody('via-a', { [ACME]: { badge: 42 } }));
      expectScimError(dup, 409, 'uniqueness');
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('Custom schema extensions: concurrent registrations', () => {
  it('holds the per-directory bound and the URN unique when registrations race (PostgreSQL runs them at once)', async () => {
    const t = await startTestApp();
    try {
      const urn = (i: number): string => `urn:example:params:scim:schemas:extension:race${i}:2.0:User`;
      const define = (i: number) => ({
        id: urn(i),
        name: `Race${i}`,
        resourceType: 'User',
        attributes: [{ name: 'x', type: 'string' }],
      });
      for (let i = 0; i < 19; i++) await t.req('post', schemasPath(1)).send(define(i)).expect(201);
      const racing = await Promise.all([19, 20, 21, 22, 23].map((i) => t.req('post', schemasPath(1)).send(define(i))));
      assert.deepEqual(
        racing.map((r) => r.status).sort(),
        [201, 400, 400, 400, 400],
        racing.map((r) => r.text).join('\n'),
      );
      const same = await Promise.all([1, 2, 3].map(() => t.req('post', schemasPath(1)).send(define(0))));
      assert.deepEqual(
        same.map((r) => r.status),
        [409, 409, 409],
      );
      const rows = await t.db.query('SELECT id FROM directory_schemas WHERE directory_id = 1');
      assert.equal(rows.length, 20);
    } finally {
      await t.close();
    }
  });
});

describe('Custom schema extensions under STRICT_SCHEMA', () => {
  it('a PATCH after an attribute was removed does not trip over the values left in the document', async () => {
    const t = await startTestApp({ env: { STRICT_SCHEMA: 'true' } });
    try {
      await t.req('post', schemasPath(1)).send(acmeDefinition()).expect(201);
      const user = await t
        .req('post', `${BASE}/Users`)
        .set('Content-Type', SCIM_JSON)
        .send(userBody('strict', { [ACME]: { costCenter: 'C', badge: 1 } }))
        .expect(201);
      const onlyBadge = { ...acmeDefinition(), attributes: [{ name: 'badge', type: 'integer', uniqueness: 'server' }] };
      await t
        .req('put', `${schemasPath(1, ACME)}?allowRemoval=true`)
        .send(onlyBadge)
        .expect(200);
      const patched = await t
        .req('patch', `${BASE}/Users/${user.body.id}`)
        .set('Content-Type', SCIM_JSON)
        .send({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'displayName', value: 'Strict' }],
        });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body[ACME], { badge: 1 });
      // A client sending the removed attribute is refused, as for any undefined attribute.
      const sent = await t
        .req('patch', `${BASE}/Users/${user.body.id}`)
        .set('Content-Type', SCIM_JSON)
        .send({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'add', value: { [`${ACME}:costCenter`]: 'D' } }],
        });
      expectScimError(sent, 400, 'invalidPath');
    } finally {
      await t.close();
    }
  });
});
