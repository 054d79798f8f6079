import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { PATCH_OP, patchHelpers } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

/* MAX_JSON_DEPTH (64): a deeper body is 400 invalidSyntax before any transformer walks it. */

const deepArray = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const deepObject = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('Request bodies nested deeper than MAX_JSON_DEPTH', () => {
  let t: TestApp;
  const h = patchHelpers(() => t);
  const raw = (method: 'post' | 'patch' | 'put', path: string, text: string, type = SCIM_JSON) =>
    t.req(method, path).set('Content-Type', type).send(text);
  const expectTooDeep = (res: Response): void => {
    expectScimError(res, 400, 'invalidSyntax');
    assert.ok(res.body.detail.includes('MAX_JSON_DEPTH'), res.body.detail);
  };

  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('10,000 levels inside a PatchOp value are 400 invalidSyntax and change nothing', async () => {
    const user = await h.createUser('deep.patch');
    const body = `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"title","value":${deepArray(10000)}}]}`;
    expectTooDeep(await raw('patch', `${BASE}/Users/${user.id}`, body));
    await h.expectUserUnchanged(user);
  });

  it('10,000 levels in a SearchRequest are 400 invalidSyntax', async () => {
    const body = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":${deepArray(10000)}}`;
    expectTooDeep(await raw('post', `${BASE}/Users/.search`, body));
    expectTooDeep(await raw('post', `${BASE}/.search`, body));
  });

  it('10,000 levels in POST /admin/tokens are 400 invalidSyntax and issue no token', async () => {
    const [{ n: before }] = await t.db.query('SELECT COUNT(*) AS n FROM api_tokens');
    expectTooDeep(
      await raw(
        'post',
        '/admin/tokens',
        `{"name":"deep","scopes":["scim"],"x":${deepObject(10000)}}`,
        'application/json',
      ),
    );
    const [{ n: afterwards }] = await t.db.query('SELECT COUNT(*) AS n FROM api_tokens');
    assert.equal(Number(afterwards), Number(before));
  });

  it('10,000 levels in POST /Users and PUT are 400 invalidSyntax', async () => {
    const user = await h.createUser('deep.put');
    expectTooDeep(
      await raw('post', `${BASE}/Users`, `{"schemas":["${USER_SCHEMA}"],"userName":"deep","x":${deepObject(10000)}}`),
    );
    expectTooDeep(
      await raw(
        'put',
        `${BASE}/Users/${user.id}`,
        `{"schemas":["${USER_SCHEMA}"],"userName":"deep.put","x":${deepArray(10000)}}`,
      ),
    );
    await h.expectUserUnchanged(user);
  });

  it('64 levels are parsed (an unknown attribute that deep is ignored); 65 are refused', async () => {
    const at = (levels: number) =>
      `{"schemas":["${USER_SCHEMA}"],"userName":"deep.${levels}","x":${deepObject(levels - 1)}}`;
    const ok = await raw('post', `${BASE}/Users`, at(64));
    assert.equal(ok.status, 201, ok.text);
    expectTooDeep(await raw('post', `${BASE}/Users`, at(65)));
  });

  it('brackets inside strings, escaped quotes included, do not count', async () => {
    const userName = `br\\"${'[{'.repeat(200)}`;
    const res = await raw('post', `${BASE}/Users`, `{"schemas":["${USER_SCHEMA}"],"userName":"${userName}"}`);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.userName, `br"${'[{'.repeat(200)}`);
  });
});

describe('MAX_JSON_DEPTH is a setting', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { MAX_JSON_DEPTH: '8' } });
  });
  after(async () => {
    await t.close();
  });

  it('refuses a body of 9 levels when the limit is 8', async () => {
    const body = (levels: number) =>
      `{"schemas":["${USER_SCHEMA}"],"userName":"d${levels}","x":${deepArray(levels - 1)}}`;
    const ok = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(body(8));
    assert.equal(ok.status, 201, ok.text);
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(body(9));
    expectScimError(res, 400, 'invalidSyntax');
    assert.ok(res.body.detail.includes('nested deeper than 8 levels'), res.body.detail);
  });
});
