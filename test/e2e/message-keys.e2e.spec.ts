import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import type { Json } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/*
 * The member names of SCIM messages (SearchRequest, BulkRequest, PatchOp and their operations) are
 * case-insensitive like every attribute name (RFC 7643 §2.1): "Filter" filters, "operations" runs.
 */

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('Message member names are case-insensitive (RFC 7643 §2.1)', () => {
  let t: TestApp;
  const ids = new Map<string, string>();
  before(async () => {
    t = await startTestApp();
    for (const name of ['k-alice', 'k-bob', 'k-carol', 'other']) {
      const res = await t.req('post', `${BASE}/Users`).send(userBody(name, { title: 'Start' }));
      assert.equal(res.status, 201, res.text);
      ids.set(name, String(res.body.id));
    }
  });
  after(async () => {
    await t?.close();
  });

  const rows = (sql: string, params: SqlParam[] = []): Promise<Json[]> =>
    t.db.query<Json[]>(...toDriverQuery(t.dialect, sql, params));
  const titleOf = async (userName: string): Promise<unknown> => {
    const [row] = await rows('SELECT doc FROM users WHERE user_name = $1 AND directory_id = 1', [userName]);
    return row ? JSON.parse(String(row['doc']))['title'] : undefined;
  };
  const post = (path: string, body: Json): Promise<Response> =>
    t.req('post', `${BASE}${path}`).set('Content-Type', 'application/scim+json').send(body);
  const patch = (userName: string, body: Json): Promise<Response> =>
    t
      .req('patch', `${BASE}/Users/${ids.get(userName)}`)
      .set('Content-Type', 'application/scim+json')
      .send(body);

  describe('SearchRequest (RFC 7644 §3.4.3)', () => {
    it('Filter, SortBy, SortOrder, StartIndex, Count and Attributes all apply on /Users/.search', async () => {
      const res = await post('/Users/.search', {
        Schemas: [SEARCH_REQUEST],
        Filter: 'userName sw "k-"',
        SortBy: 'userName',
        SORTORDER: 'descending',
        StartIndex: 2,
        Count: 1,
        Attributes: ['userName'],
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.totalResults, 3);
      assert.equal(res.body.startIndex, 2);
      assert.equal(res.body.Resources.length, 1);
      assert.deepEqual(Object.keys(res.body.Resources[0]).sort(), ['id', 'schemas', 'userName']);
      assert.equal(res.body.Resources[0].userName, 'k-bob');
    });

    it('Filter applies on the root /.search', async () => {
      const res = await post('/.search', { schemas: [SEARCH_REQUEST], FILTER: 'userName eq "k-alice"', Count: 5 });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.totalResults, 1);
      assert.deepEqual(
        res.body.Resources.map((r: Json) => r['id']),
        [ids.get('k-alice')],
      );
    });

    it('two keys naming the same member are 400 invalidSyntax naming both', async () => {
      for (const path of ['/Users/.search', '/.search']) {
        const res = await post(path, { schemas: [SEARCH_REQUEST], filter: 'userName eq "x"', Filter: 'id pr' });
        expectScimError(res, 400, 'invalidSyntax');
        assert.match(res.body.detail, /"filter" and "Filter"/);
      }
    });
  });

  describe('BulkRequest (RFC 7644 §3.7)', () => {
    it('operations, FailOnErrors, Method, Path, BulkId and Data are read; the run stops after the error', async () => {
      const res = await post('/Bulk', {
        schemas: [BULK_REQUEST],
        FailOnErrors: 1,
        operations: [
          { Method: 'POST', Path: '/Users', BulkId: 'b1', Data: userBody('k-bulk') },
          { METHOD: 'POST', path: '/Users', bulkid: 'b2', DATA: userBody('k-alice') },
          { method: 'POST', path: '/Users', bulkId: 'b3', data: userBody('k-never') },
        ],
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.Operations.map((op: Json) => [op['bulkId'], op['status']]),
        [
          ['b1', '201'],
          ['b2', '409'],
        ],
      );
      assert.equal(await titleOf('k-bulk'), undefined);
      assert.equal((await rows("SELECT id FROM users WHERE user_name = 'k-bulk'")).length, 1);
      assert.equal((await rows("SELECT id FROM users WHERE user_name = 'k-never'")).length, 0);
    });

    it('Version is If-Match, and a PATCH operation reads its Data as a PatchOp with any case', async () => {
      const path = `/Users/${ids.get('k-carol')}`;
      const data = {
        SCHEMAS: [PATCH_OP],
        operations: [{ Op: 'replace', Path: 'title', Value: 'Bulk' }],
      };
      const res = await post('/Bulk', {
        Schemas: [BULK_REQUEST],
        Operations: [
          { Method: 'PATCH', Path: path, Version: 'W/"stale"', Data: data },
          { Method: 'PATCH', Path: path, Data: data },
        ],
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.Operations.map((op: Json) => op['status']),
        ['412', '200'],
      );
      assert.equal(await titleOf('k-carol'), 'Bulk');
    });

    it('two keys naming one member: the request is 400, an operation fails alone', async () => {
      const twice = await post('/Bulk', { schemas: [BULK_REQUEST], Operations: [], operations: [] });
      expectScimError(twice, 400, 'invalidSyntax');
      assert.match(twice.body.detail, /"Operations" and "operations"/);

      const res = await post('/Bulk', {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: 'POST', Method: 'DELETE', path: '/Users', bulkId: 'd1', data: userBody('k-dup') },
          { method: 'POST', path: '/Users', bulkId: 'd2', data: userBody('k-after') },
        ],
      });
      assert.equal(res.status, 200, res.text);
      const [bad, good] = res.body.Operations as Json[];
      assert.equal(bad?.['status'], '400');
      assert.equal(bad?.['response']?.scimType, 'invalidSyntax');
      assert.match(String(bad?.['response']?.detail), /^Operations\[0\]: "method" and "Method"/);
      assert.equal(good?.['status'], '201');
      assert.equal((await rows("SELECT id FROM users WHERE user_name = 'k-dup'")).length, 0);
      assert.equal((await rows("SELECT id FROM users WHERE user_name = 'k-after'")).length, 1);
    });
  });

  describe('PatchOp (RFC 7644 §3.5.2)', () => {
    it('operations, Op, Path and Value are read', async () => {
      const res = await patch('k-alice', {
        Schemas: [PATCH_OP],
        operations: [{ Op: 'Replace', Path: 'title', Value: 'Patched' }],
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.title, 'Patched');
      assert.equal(await titleOf('k-alice'), 'Patched');
    });

    it('two keys naming one member, in the message or in an operation, are 400 and change nothing', async () => {
      const op = { op: 'replace', path: 'title', value: 'Never' };
      const message = await patch('k-bob', { schemas: [PATCH_OP], Operations: [op], operations: [op] });
      expectScimError(message, 400, 'invalidSyntax');
      assert.match(message.body.detail, /"Operations" and "operations"/);
      const operation = await patch('k-bob', { schemas: [PATCH_OP], Operations: [{ ...op, Path: 'displayName' }] });
      expectScimError(operation, 400, 'invalidSyntax');
      assert.match(operation.body.detail, /^Operations\[0\]: "path" and "Path"/);
      assert.equal(await titleOf('k-bob'), 'Start');
    });
  });
});
