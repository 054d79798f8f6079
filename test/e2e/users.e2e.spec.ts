import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ENTERPRISE, SCIM_JSON, startTestApp, userBody, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

describe('Users', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>) =>
    t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(body);

  it('POST creates a user: 201, Location, ETag, full representation', async () => {
    const res = await create(
      userBody('bjensen@example.com', {
        externalId: 'ext-1',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
        active: true,
        [ENTERPRISE]: { department: 'Sales', manager: { value: 'm-1' } },
      }),
    );
    assert.equal(res.status, 201);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json; charset=utf-8/);
    const { id } = res.body;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['location'], `${t.url}${BASE}/Users/${id}`);
    assert.equal(res.body.meta.location, res.headers['location']);
    assert.equal(res.headers['etag'], 'W/"1"');
    assert.equal(res.body.meta.version, 'W/"1"');
    assert.equal(res.body.meta.resourceType, 'User');
    assert.equal(res.body.meta.created, res.body.meta.lastModified);
    assert.deepEqual(res.body.schemas, [USER_SCHEMA, ENTERPRISE]);
    assert.equal(res.body.userName, 'bjensen@example.com');
    assert.equal(res.body.externalId, 'ext-1');
    assert.deepEqual(res.body.name, { givenName: 'Barbara', familyName: 'Jensen' });
    assert.equal(res.body.active, true);
    assert.deepEqual(res.body[ENTERPRISE], { department: 'Sales', manager: { value: 'm-1' } });
    const row = await t.db.query(`SELECT user_name, user_name_key, external_id, version FROM users WHERE id = '${id}'`);
    assert.deepEqual(
      row.map((r: Record<string, unknown>) => ({ ...r, version: Number(r['version']) })),
      [{ user_name: 'bjensen@example.com', user_name_key: 'bjensen@example.com', external_id: 'ext-1', version: 1 }],
    );
  });

  it('GET by id returns what POST stored; unknown id is 404', async () => {
    const created = await create(userBody('get.me@example.com', { displayName: 'Get Me' }));
    const res = await t.req('get', `${BASE}/Users/${created.body.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, created.body);
    assert.equal(res.headers['etag'], 'W/"1"');
    expectScimError(await t.req('get', `${BASE}/Users/00000000-0000-0000-0000-000000000000`), 404);
    expectScimError(await t.req('get', `${BASE}/Users/not-a-uuid`), 404);
  });

  it('userName is unique case-insensitively, also for non-ASCII (NFKC + case fold)', async () => {
    assert.equal((await create(userBody('Straße@Example.com'))).status, 201);
    expectScimError(await create(userBody('STRASSE@example.com')), 409, 'uniqueness');
    expectScimError(await create(userBody('straße@example.COM')), 409, 'uniqueness');
    // NFKC: the full-width "Ａ" is the same user name as "A".
    assert.equal((await create(userBody('Ａlice'))).status, 201);
    expectScimError(await create(userBody('alice')), 409, 'uniqueness');
  });

  it('password is write-only: stored as an argon2id hash, never returned', async () => {
    const res = await create(userBody('pw.user@example.com', { password: 'Sup3r-secret!' }));
    assert.equal(res.status, 201);
    assert.equal(res.body.password, undefined);
    assert.doesNotMatch(JSON.stringify(res.body), /Sup3r-secret/);
    const [row] = await t.db.query(`SELECT password_hash, doc FROM users WHERE id = '${res.body.id}'`);
    assert.match(row.password_hash, /^\$argon2id\$/);
    assert.doesNotMatch(row.doc, /Sup3r-secret|password/);
    const got = await t.req('get', `${BASE}/Users/${res.body.id}?attributes=password`);
    assert.equal(got.body.password, undefined);
  });

  it('readOnly input is ignored, unknown attributes and schema URNs are ignored', async () => {
    const res = await create({
      schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User'],
      userName: 'readonly@example.com',
      id: 'client-chosen',
      meta: { created: '2000-01-01T00:00:00Z' },
      groups: [{ value: 'g1' }],
      favouriteColour: 'blue',
      'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User': { foo: 'bar' },
      UserName: undefined,
      DisplayName: 'Case Insensitive',
    });
    assert.equal(res.status, 201);
    assert.notEqual(res.body.id, 'client-chosen');
    assert.notEqual(res.body.meta.created, '2000-01-01T00:00:00Z');
    assert.equal(res.body.groups, undefined);
    assert.equal(res.body.favouriteColour, undefined);
    assert.equal(res.body.displayName, 'Case Insensitive');
    assert.deepEqual(res.body.schemas, [USER_SCHEMA]);
  });

  it('coerces "True"/"False" for booleans and rejects other mistyped values', async () => {
    const res = await create(userBody('coerce@example.com', { active: 'False' }));
    assert.equal(res.status, 201);
    assert.equal(res.body.active, false);
    expectScimError(await create(userBody('maybe@example.com', { active: 'maybe' })), 400, 'invalidValue');
    expectScimError(await create(userBody('num@example.com', { displayName: 42 })), 400, 'invalidValue');
    expectScimError(
      await create(
        userBody('two-primaries@example.com', {
          emails: [
            { value: 'a@x.com', primary: true },
            { value: 'b@x.com', primary: true },
          ],
        }),
      ),
      400,
      'invalidValue',
    );
    expectScimError(await create({ schemas: [USER_SCHEMA] }), 400, 'invalidValue');
    expectScimError(await create(userBody('')), 400, 'invalidValue');
  });

  it('Entra sends manager as a bare string: stored as {value}', async () => {
    const res = await create(userBody('managed@example.com', { [ENTERPRISE]: { manager: 'boss-id' } }));
    assert.equal(res.status, 201);
    assert.deepEqual(res.body[ENTERPRISE], { manager: { value: 'boss-id' } });
  });

  it('lists with userName (case-insensitive), externalId (case-exact) and id filters', async () => {
    const a = await create(userBody('Filter.One@example.com', { externalId: 'CaseExact' }));
    await create(userBody('filter.two@example.com', { externalId: 'caseexact' }));
    const byName = await t.req('get', `${BASE}/Users`).query({ filter: 'userName eq "FILTER.ONE@EXAMPLE.COM"' });
    assert.equal(byName.status, 200);
    assert.equal(byName.body.totalResults, 1);
    assert.equal(byName.body.Resources[0].id, a.body.id);
    const byExt = await t.req('get', `${BASE}/Users`).query({ filter: 'externalId eq "CaseExact"' });
    assert.deepEqual(
      byExt.body.Resources.map((r: { id: string }) => r.id),
      [a.body.id],
    );
    const byId = await t.req('get', `${BASE}/Users`).query({ filter: `id eq "${a.body.id}"` });
    assert.deepEqual(
      byId.body.Resources.map((r: { id: string }) => r.id),
      [a.body.id],
    );
    const bare = await t.req('get', `${BASE}/Users`).query({ filter: 'externalId eq CaseExact' });
    assert.deepEqual(
      bare.body.Resources.map((r: { id: string }) => r.id),
      [a.body.id],
    );
    const none = await t.req('get', `${BASE}/Users`).query({ filter: 'userName eq "nobody@example.com"' });
    assert.deepEqual(none.body, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    expectScimError(await t.req('get', `${BASE}/Users`).query({ filter: 'userName eq' }), 400, 'invalidFilter');
    expectScimError(await t.req('get', `${BASE}/Users`).query({ filter: 'nope eq "x"' }), 400, 'invalidFilter');
  });

  it('pages with startIndex/count in a stable order', async () => {
    const all = await t.req('get', `${BASE}/Users`).query({ count: 1000 });
    const total = all.body.totalResults;
    assert.ok(total >= 5);
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 2) {
      const page = await t.req('get', `${BASE}/Users`).query({ startIndex: start, count: 2 });
      assert.equal(page.body.startIndex, start);
      assert.equal(page.body.totalResults, total);
      assert.equal(page.body.itemsPerPage, page.body.Resources.length);
      seen.push(...page.body.Resources.map((r: { id: string }) => r.id));
    }
    assert.deepEqual(
      seen,
      all.body.Resources.map((r: { id: string }) => r.id),
    );
    assert.equal(new Set(seen).size, total);
    const zero = await t.req('get', `${BASE}/Users`).query({ count: 0 });
    assert.equal(zero.body.itemsPerPage, 0);
    assert.equal(zero.body.totalResults, total);
    const negative = await t.req('get', `${BASE}/Users`).query({ count: -5, startIndex: -3 });
    assert.equal(negative.body.itemsPerPage, 0);
    assert.equal(negative.body.startIndex, 1);
    expectScimError(await t.req('get', `${BASE}/Users`).query({ count: 'many' }), 400, 'invalidValue');
  });

  it('PUT replaces: omitted attributes are cleared, version moves, unknown id is 404', async () => {
    const created = await create(
      userBody('put.me@example.com', {
        displayName: 'Before',
        title: 'Engineer',
        name: { givenName: 'P' },
      }),
    );
    const id = created.body.id;
    const res = await t.req('put', `${BASE}/Users/${id}`).send(
      userBody('Put.Me@example.com', {
        id,
        displayName: 'After',
        meta: { version: 'W/"99"' },
      }),
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.displayName, 'After');
    assert.equal(res.body.title, undefined);
    assert.equal(res.body.name, undefined);
    assert.equal(res.body.userName, 'Put.Me@example.com');
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal(res.body.meta.created, created.body.meta.created);
    assert.ok(res.body.meta.lastModified >= created.body.meta.lastModified);
    const again = await t
      .req('put', `${BASE}/Users/${id}`)
      .send(userBody('Put.Me@example.com', { displayName: 'After' }));
    assert.equal(again.headers['etag'], 'W/"2"', 'an identical PUT changes nothing');
    expectScimError(
      await t.req('put', `${BASE}/Users/${id}`).send(userBody('x@example.com', { id: 'other' })),
      400,
      'invalidValue',
    );
    const missing = await t
      .req('put', `${BASE}/Users/00000000-0000-0000-0000-000000000001`)
      .send(userBody('ghost@example.com'));
    expectScimError(missing, 404);
    const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM users WHERE user_name_key = 'ghost@example.com'`);
    assert.equal(Number(n), 0, 'PUT never creates');
    await create(userBody('taken@example.com'));
    expectScimError(await t.req('put', `${BASE}/Users/${id}`).send(userBody('TAKEN@example.com')), 409, 'uniqueness');
  });

  it('DELETE: 204, then 404 on every call, and the userName is free again', async () => {
    const created = await create(userBody('delete.me@example.com'));
    const id = created.body.id;
    const del = await t.req('delete', `${BASE}/Users/${id}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    expectScimError(await t.req('get', `${BASE}/Users/${id}`), 404);
    expectScimError(await t.req('delete', `${BASE}/Users/${id}`), 404);
    expectScimError(await t.req('put', `${BASE}/Users/${id}`).send(userBody('delete.me@example.com')), 404);
    const list = await t.req('get', `${BASE}/Users`).query({ filter: `id eq "${id}"` });
    assert.equal(list.body.totalResults, 0);
    assert.equal((await create(userBody('DELETE.ME@example.com'))).status, 201);
  });

  it('accepts application/json bodies too, and projects attributes', async () => {
    const res = await t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', 'application/json')
      .send(userBody('json@example.com', { displayName: 'J', title: 'T' }));
    assert.equal(res.status, 201);
    const got = await t.req('get', `${BASE}/Users/${res.body.id}`).query({ attributes: 'displayName' });
    assert.deepEqual(Object.keys(got.body).sort(), ['displayName', 'id', 'schemas']);
    const excl = await t.req('get', `${BASE}/Users/${res.body.id}`).query({ excludedAttributes: 'title,meta' });
    assert.equal(excl.body.title, undefined);
    assert.equal(excl.body.meta, undefined);
    assert.equal(excl.body.displayName, 'J');
    expectScimError(
      await t.req('get', `${BASE}/Users/${res.body.id}`).query({ attributes: 'title', excludedAttributes: 'title' }),
      400,
      'invalidValue',
    );
  });
});
