import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

const BODY_LIMIT = 65536;

/** A raw GET, so that a URL too long for Node's HTTP parser can be sent at all. */
function rawGet(url: string, path: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The bad inputs of the foundation issue: each is a SCIM error body (RFC 7644
 * §3.12) with the right status and scimType, and none is a 500.
 */
describe('Errors are SCIM error bodies, never 500s', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
  });
  after(async () => {
    await t.close();
  });

  it('malformed JSON is 400 invalidSyntax', async () => {
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send('{"userName": ');
    expectScimError(res, 400, 'invalidSyntax');
    assert.equal(res.body.detail, 'Request body is not valid JSON');
  });

  it('a JSON array body is 400 invalidSyntax', async () => {
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send('[{"userName":"a"}]');
    expectScimError(res, 400, 'invalidSyntax');
  });

  it('missing userName is 400 invalidValue', async () => {
    const res = await t
      .req('post', `${BASE}/Users`)
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], displayName: 'x' });
    expectScimError(res, 400, 'invalidValue');
  });

  it('a userName differing only in case is 409 uniqueness', async () => {
    assert.equal((await t.req('post', `${BASE}/Users`).send(userBody('Case.Twin@example.com'))).status, 201);
    expectScimError(await t.req('post', `${BASE}/Users`).send(userBody('case.twin@EXAMPLE.com')), 409, 'uniqueness');
  });

  it('active: "maybe" is 400 invalidValue', async () => {
    expectScimError(
      await t.req('post', `${BASE}/Users`).send(userBody('maybe@example.com', { active: 'maybe' })),
      400,
      'invalidValue',
    );
  });

  it('an unknown id is 404', async () => {
    expectScimError(await t.req('get', `${BASE}/Users/2819c223-7f76-453a-919d-413861904646`), 404);
    expectScimError(await t.req('get', `${BASE}/Groups/2819c223-7f76-453a-919d-413861904646`), 404);
  });

  it('no token is 401 with WWW-Authenticate: Bearer', async () => {
    const res = await request(t.url).get(`${BASE}/Users`);
    expectScimError(res, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer /);
    expectScimError(await t.req('get', `${BASE}/Users`, 'scim_not-a-real-token'), 401);
  });

  it('an expired token is 401', async () => {
    const expired = await t.issueToken(['scim'], 'expired', new Date(Date.now() - 1000));
    const res = await t.req('get', `${BASE}/Users`, expired);
    expectScimError(res, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer /);
  });

  it('a revoked token is 401 at once on this instance', async () => {
    const secret = await t.issueToken(['scim'], 'to-revoke');
    assert.equal((await t.req('get', `${BASE}/Users`, secret)).status, 200);
    const list = await t.req('get', '/admin/tokens');
    const id = list.body.tokens.find((x: { name: string }) => x.name === 'to-revoke').id;
    assert.equal((await t.req('post', `/admin/tokens/${id}/revoke`)).status, 200);
    expectScimError(await t.req('get', `${BASE}/Users`, secret), 401);
  });

  it('a scim token on /admin is 403; an admin-only token on /Users is 403', async () => {
    const scimOnly = await t.issueToken(['scim'], 'scim-only');
    expectScimError(await t.req('get', '/admin/tokens', scimOnly), 403);
    const adminOnly = await t.issueToken(['admin'], 'admin-only');
    expectScimError(await t.req('get', `${BASE}/Users`, adminOnly), 403);
  });

  it('a body over the size limit is 413', async () => {
    const big = JSON.stringify(userBody('big@example.com', { displayName: 'x'.repeat(BODY_LIMIT) }));
    expectScimError(await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(big), 413);
  });

  it('PUT to an id that does not exist is 404 and creates nothing', async () => {
    const res = await t
      .req('put', `${BASE}/Users/3dd5c2f1-0000-4000-8000-000000000000`)
      .send(userBody('nobody.put@example.com'));
    expectScimError(res, 404);
    const rows = await t.db.query(`SELECT id FROM users WHERE user_name_key = 'nobody.put@example.com'`);
    assert.equal(rows.length, 0);
  });

  it('POST /ServiceProviderConfig is 405 with Allow: GET', async () => {
    const res = await t.req('post', `${BASE}/ServiceProviderConfig`).send({});
    expectScimError(res, 405);
    assert.equal(res.headers['allow'], 'GET');
  });

  it('an unknown route is 404; an unsupported method on a resource is 405', async () => {
    expectScimError(await t.req('get', `${BASE}/Widgets`), 404);
    expectScimError(await t.req('post', `${BASE}/Users/some-id`).send({}), 405);
    expectScimError(await t.req('delete', `${BASE}/Users`), 405);
  });

  it('a body that is not JSON is 415', async () => {
    expectScimError(await t.req('post', `${BASE}/Users`).set('Content-Type', 'text/plain').send('userName=x'), 415);
    expectScimError(await t.req('post', `${BASE}/Users`).type('form').send('userName=x'), 415);
  });

  it('a URL too long for the server is a 431 SCIM error body, not a bare status line', async () => {
    const res = await rawGet(t.url, `${BASE}/Users?filter=${'a'.repeat(40000)}`);
    assert.equal(res.status, 431);
    assert.match(res.contentType, /^application\/scim\+json/);
    assert.deepEqual(JSON.parse(res.body), {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '431',
      detail: 'Request URL or headers are too large',
    });
  });

  it('a filter the grammar rejects is 400 invalidFilter', async () => {
    for (const filter of [
      'userName eq "unterminated',
      '(userName eq "a"',
      'userName xx "a"',
      'not userName eq "a"',
      'active gt true',
      '',
    ]) {
      expectScimError(await t.req('get', `${BASE}/Users`).query({ filter }), 400, 'invalidFilter');
    }
  });
});
