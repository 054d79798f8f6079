import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { BASE, SCIM_JSON, startTestApp, type TestApp } from '../setup/test-app.js';
import { readFixture } from '../setup/fixtures.js';

/*
 * Every case of test/fixtures/query/filter-matrix.json against the data of
 * test/fixtures/query/users.seed.json, through GET /{Resource}?filter= and through
 * POST /{Resource}/.search (RFC 7644 §3.4.2.2, §3.4.3). The expected sets are written
 * by hand in the fixture; this file only substitutes server ids for seed keys.
 */

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type SeedResource = Record<string, unknown> & { readonly key: string };

interface SeedFile {
  readonly users: readonly SeedResource[];
  readonly groups: readonly SeedResource[];
}

interface MatrixCase {
  readonly filter: string;
  readonly ids: readonly string[];
  readonly note: string;
  readonly resource?: 'User' | 'Group';
}

const seed = readFixture<SeedFile>('query', 'users.seed.json');
const cases = readFixture<{ cases: MatrixCase[] }>('query', 'filter-matrix.json').cases;

/** `{{key}}` → that resource's server id; `{{key|upper}}` → the id upper-cased. */
function substitute(text: string, ids: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{(\w+)(\|upper)?\}\}/g, (_, key: string, upper: string | undefined) => {
    const id = ids.get(key);
    if (id === undefined) throw new Error(`fixture placeholder {{${key}}} names no seeded resource`);
    return upper ? id.toUpperCase() : id;
  });
}

function body(resource: SeedResource, ids: ReadonlyMap<string, string>): Record<string, unknown> {
  const { key: _key, ...rest } = resource;
  return JSON.parse(substitute(JSON.stringify(rest), ids)) as Record<string, unknown>;
}

describe('Filter matrix (test/fixtures/query/filter-matrix.json)', () => {
  let t: TestApp;
  /** seed key → server id, and back. */
  const ids = new Map<string, string>();
  const keys = new Map<string, string>();

  before(async () => {
    t = await startTestApp();
    for (const [path, resources] of [
      ['Users', seed.users],
      ['Groups', seed.groups],
    ] as const) {
      for (const resource of resources) {
        const res = await t.req('post', `${BASE}/${path}`).set('Content-Type', SCIM_JSON).send(body(resource, ids));
        assert.equal(res.status, 201, `seeding ${resource.key}: ${res.status} ${res.text}`);
        ids.set(resource.key, res.body.id);
        keys.set(res.body.id, resource.key);
      }
    }
  });
  after(async () => {
    await t?.close();
  });

  const pathOf = (c: MatrixCase): string => (c.resource === 'Group' ? 'Groups' : 'Users');

  /** The ids of a ListResponse as seed keys; an id the seed did not create shows as "?<id>". */
  function expectCase(res: Response, c: MatrixCase, how: string): void {
    assert.equal(res.status, 200, `${how} ${c.filter}: ${res.status} ${res.text}`);
    assert.deepEqual(res.body.schemas, [LIST_RESPONSE]);
    const resources: Array<{ id: string }> = res.body.Resources ?? [];
    const got = resources.map((r) => keys.get(r.id) ?? `?${r.id}`).sort();
    assert.deepEqual(got, [...c.ids].sort(), `${how} ${c.filter} (${c.note})`);
    assert.equal(res.body.totalResults, c.ids.length, `${how} ${c.filter}: totalResults`);
  }

  it('seeds every fixture resource', async () => {
    assert.equal(ids.size, seed.users.length + seed.groups.length);
    const users = await t.req('get', `${BASE}/Users`).query({ count: 1000 });
    assert.equal(users.body.totalResults, seed.users.length);
    const groups = await t.req('get', `${BASE}/Groups`).query({ count: 1000 });
    assert.equal(groups.body.totalResults, seed.groups.length);
  });

  describe('GET ?filter=', () => {
    for (const c of cases) {
      it(`GET /${pathOf(c)} filter=${c.filter}`, async () => {
        const res = await t
          .req('get', `${BASE}/${pathOf(c)}`)
          .query({ filter: substitute(c.filter, ids), count: 1000 });
        expectCase(res, c, 'GET');
      });
    }
  });

  describe('POST /.search', () => {
    for (const c of cases) {
      it(`POST /${pathOf(c)}/.search filter=${c.filter}`, async () => {
        const res = await t
          .req('post', `${BASE}/${pathOf(c)}/.search`)
          .set('Content-Type', SCIM_JSON)
          .send({ schemas: [SEARCH_REQUEST], filter: substitute(c.filter, ids), count: 1000 });
        expectCase(res, c, 'POST .search');
      });
    }
  });
});
