import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BASE, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/* Binary values (x509Certificates) are longer than any index key bound; they are kept and filtered in the document. */

describe('x509Certificates of real size', () => {
  let t: TestApp;
  // A DER certificate with a 4096-bit key is about 1.4 KB, 1.9 KB as base64; a chain element can be larger.
  const certificate = randomBytes(2400).toString('base64');

  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('a 3,200-character certificate is stored and returned as sent', async () => {
    const res = await t
      .req('post', `${BASE}/Users`)
      .send(userBody('cert.holder', { x509Certificates: [{ value: certificate }] }));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.x509Certificates[0].value, certificate);
    const rows = await t.db.query(`SELECT COUNT(*) AS n FROM multi_values WHERE resource_id = '${res.body.id}'`);
    assert.equal(Number(rows[0].n), 0, 'binary values have no index rows');
  });

  it('is found by equality on its value, and a different value finds nothing', async () => {
    const hit = await t.req('get', `${BASE}/Users`).query({ filter: `x509Certificates.value eq "${certificate}"` });
    assert.equal(hit.status, 200, hit.text);
    assert.deepEqual(
      hit.body.Resources.map((r: { userName: string }) => r.userName),
      ['cert.holder'],
    );
    const miss = await t
      .req('get', `${BASE}/Users`)
      .query({ filter: `x509Certificates.value eq "${certificate.slice(1)}"` });
    assert.equal(miss.status, 200, miss.text);
    assert.equal(miss.body.totalResults, 0);
  });
});
