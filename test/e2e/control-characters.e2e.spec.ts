import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, type TestApp } from '../setup/test-app.js';

/* A control character in a URL id or a token name is a 400, never a database error (PostgreSQL refuses U+0000). */

describe('Control characters in ids and token names', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  for (const endpoint of ['Users', 'Groups']) {
    for (const method of ['get', 'put', 'patch', 'delete'] as const) {
      it(`${method.toUpperCase()} /${endpoint}/a%00b is 400 invalidValue`, async () => {
        const res = await t
          .req(method, `${BASE}/${endpoint}/a%00b`)
          .set('Content-Type', 'application/scim+json')
          .send(
            method === 'patch'
              ? {
                  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
                  Operations: [{ op: 'replace', path: 'displayName', value: 'x' }],
                }
              : method === 'put'
                ? {}
                : undefined,
          );
        expectScimError(res, 400, 'invalidValue');
        assert.match(res.body.detail, /control characters/);
      });
    }
  }

  it('an id with a newline is 400 too, and an ordinary unknown id is still 404', async () => {
    expectScimError(await t.req('get', `${BASE}/Users/a%0Ab`), 400, 'invalidValue');
    expectScimError(await t.req('get', `${BASE}/Users/no-such-user`), 404);
  });

  it('POST /admin/tokens with a NUL or a newline in the name is 400 and stores nothing', async () => {
    const before = Number((await t.db.query('SELECT COUNT(*) AS n FROM api_tokens'))[0].n);
    for (const name of ['a\u0000b', 'line\nforged']) {
      const res = await t.req('post', '/admin/tokens').send({ name, scopes: ['scim'] });
      expectScimError(res, 400, 'invalidValue');
    }
    assert.equal(Number((await t.db.query('SELECT COUNT(*) AS n FROM api_tokens'))[0].n), before);
  });

  it('an unknown member id is quoted escaped and cut in the error detail', async () => {
    const group = await t
      .req('post', `${BASE}/Groups`)
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'quoted' });
    assert.equal(group.status, 201, group.text);
    const id = `x\n${'y'.repeat(20_000)}`;
    const ops = [{ op: 'add', path: 'members', value: [{ value: id }] }];
    const res = await t
      .req('patch', `${BASE}/Groups/${group.body.id}`)
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: ops });
    expectScimError(res, 400, 'invalidValue');
    assert.ok(res.body.detail.length < 200, `detail of ${res.body.detail.length} characters`);
    assert.doesNotMatch(res.body.detail, /\n/);
    assert.match(res.body.detail, /^Unknown member ids: x\\u000ayyy/);
  });

  it('a lone surrogate in a stored string is 400, and document filters keep working for everyone', async () => {
    const res = await t
      .req('post', `${BASE}/Users`)
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'surrogate', title: '\ud800' });
    expectScimError(res, 400, 'invalidValue');
    assert.match(res.body.detail, /'title'.*lone surrogate/);
    const ok = await t.req('post', `${BASE}/Users`).send({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'paired',
      title: 'smile \ud83d\ude00',
    });
    assert.equal(ok.status, 201, ok.text);
    const patched = await t.req('patch', `${BASE}/Users/${ok.body.id}`).send({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'nickName', value: 'x\udfff' }],
    });
    expectScimError(patched, 400, 'invalidValue');
    const found = await t.req('get', `${BASE}/Users`).query({ filter: 'title pr' });
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(
      found.body.Resources.map((r: { userName: string }) => r.userName),
      ['paired'],
    );
  });
});
