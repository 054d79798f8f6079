import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { expectScimError } from './scim-assertions.js';
import { BASE, ENTERPRISE, SCIM_JSON, type TestApp } from './test-app.js';
import { readFixture } from './fixtures.js';
import type { Json } from './patch-helpers.js';

/*
 * The data of test/fixtures/query/users.seed.json, the orders expected of it, and the helpers
 * shared by the query e2e specs (test/e2e/query-*.e2e.spec.ts): sorting (RFC 7644 §3.4.2.3),
 * index paging (§3.4.2.4), cursor paging (RFC 9865), projection (§3.4.2.5, §3.9),
 * POST /.search (§3.4.3), bad input, and discovery.
 */

export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const DEPARTMENT = `${ENTERPRISE}:department`;
/** RFC 9865 §2: cursors use only RFC 3986 unreserved characters. */
export const UNRESERVED = /^[A-Za-z0-9._~-]+$/;

type SeedResource = Record<string, unknown> & { readonly key: string };
export type Resource = Json;

interface SeedFile {
  readonly users: readonly SeedResource[];
  readonly groups: readonly SeedResource[];
}

const seed = readFixture<SeedFile>('query', 'users.seed.json');
export const USER_KEYS = seed.users.map((u) => u.key);
export const GROUP_KEYS = seed.groups.map((g) => g.key);

/**
 * The comparison key of a caseExact:false string: NFKC plus full case folding (so "ß"
 * and "ss" meet), the key the server stores for userName. Keys are ordered by code point;
 * the seed has no characters outside the BMP, so UTF-16 order is code point order.
 */
export const fold = (value: string): string => value.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase();
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/*
 * Expected orders, reasoned by hand from the seed (folded values in comments).
 * Case-sensitive or accent-folding orders would differ: "firstXlast" would precede
 * "first_last" ('X' < '_' < 'x'), and "Eve.Upper"/"Straße"/"Émile" would move.
 */
export const USERNAME_ASC = [
  'u06', // 100%_sure
  'u07', // 100xsure
  'u10', // alice.adams@example.com
  'u08', // back\slash
  'u09', // backslash
  'u01', // bjensen@example.com
  'u13', // carol@home-domain.example
  'u14', // dave@example.com
  'u15', // eve.upper@example.com
  'u11', // first_last@example.com
  'u12', // firstxlast@example.com
  'u16', // frank@example.com
  'u02', // strasse@example.com
  'u03', // émile.zola@example.fr
  'u04', // łukasz@example.pl
  'u05', // σίσυφος@example.gr
];

/** sortBy=emails(.value): the primary email, else the first; u10's and u02's primaries are their second emails. */
export const EMAIL_ASC = [
  'u10', // alice.adams@home.example.org (primary; the first, alice@example.com, would sort the same here)
  'u08', // back.slash@example.com (single, no primary)
  'u01', // bjensen@example.com
  'u13', // carol@home-domain.example
  'u03', // emile@example.fr
  'u15', // eve@example.com
  'u11', // first_last@example.com
  'u12', // firstxlast@example.com
  'u16', // frank@example.com
  'u02', // j.strasse@work.example.com (primary; the first, achim.joerg@example.de, would sort first)
  'u04', // lukasz@example.pl
];
export const WITHOUT_EMAILS = ['u05', 'u06', 'u07', 'u09', 'u14'];

/** sortBy=title, as folded keys; u14's empty title is left out of the comparison (no data or "" is unspecified). */
export const TITLE_ASC = [
  '50% lead',
  '50x lead',
  'engineer',
  'engineer',
  'engineer',
  'engineer',
  'manager',
  'manager',
  'philosopher',
  'zebra keeper',
];
export const WITHOUT_TITLE = ['u03', 'u08', 'u09', 'u11', 'u12'];

export const DEPARTMENT_ASC = ['engineering', 'engineering', 'engineering', 'research', 'sales', 'sales'];
export const WITHOUT_DEPARTMENT = ['u03', 'u05', 'u06', 'u07', 'u08', 'u09', 'u11', 'u12', 'u14', 'u16'];

export const ACTIVE = ['u01', 'u04', 'u05', 'u10', 'u11', 'u14'];
/** The active users in userName order: alice, bjensen, dave, first_last, łukasz, σίσυφος. */
export const ACTIVE_BY_USERNAME = ['u10', 'u01', 'u14', 'u11', 'u04', 'u05'];

export const sorted = (values: readonly string[]): string[] => [...values].sort();

function substitute(text: string, ids: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const id = ids.get(key);
    if (id === undefined) throw new Error(`placeholder {{${key}}} names no seeded resource`);
    return id;
  });
}

/**
 * A 200 ListResponse's Resources. totalResults is REQUIRED (RFC 7644 §3.4.2) except on
 * cursor pages, where RFC 9865 §2 lets a server that cannot estimate it leave it out.
 */
export function expectList(res: Response, cursorPage = false): Resource[] {
  assert.equal(res.status, 200, `expected 200, got ${res.status}: ${res.text}`);
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
  assert.deepEqual(res.body.schemas, [LIST_RESPONSE]);
  if (!cursorPage || res.body.totalResults !== undefined) assert.equal(typeof res.body.totalResults, 'number');
  return res.body.Resources ?? [];
}

/** An RFC 7644 §3.12 error whose scimType is one of `allowed`. */
export function expectScimErrorOneOf(res: Response, status: number, allowed: readonly string[]): void {
  assert.ok(
    allowed.includes(res.body?.scimType),
    `expected scimType in ${allowed.join('/')}, got ${res.status}: ${res.text}`,
  );
  expectScimError(res, status, res.body.scimType);
}

/**
 * Helpers over one running app seeded with users.seed.json: call `seedData` once the app runs
 * (in `before`); the other helpers map between seed keys (u01, g1, …) and server ids.
 */
export function queryHelpers(get: () => TestApp) {
  const ids = new Map<string, string>();
  const keys = new Map<string, string>();

  /** Posts every seeded user, then every group ({{key}} placeholders become ids), as the seed lists them. */
  const seedData = async (): Promise<void> => {
    const t = get();
    for (const [path, resources] of [
      ['Users', seed.users],
      ['Groups', seed.groups],
    ] as const) {
      for (const resource of resources) {
        const { key, ...rest } = resource;
        const res = await t
          .req('post', `${BASE}/${path}`)
          .set('Content-Type', SCIM_JSON)
          .send(JSON.parse(substitute(JSON.stringify(rest), ids)));
        assert.equal(res.status, 201, `seeding ${key}: ${res.status} ${res.text}`);
        ids.set(key, res.body.id);
        keys.set(res.body.id, key);
      }
    }
  };

  const id = (key: string): string => {
    const value = ids.get(key);
    assert.ok(value, `no seeded resource ${key}`);
    return value;
  };
  const keyOf = (resource: Resource): string => keys.get(resource['id']) ?? `?${resource['id']}`;
  const keysOf = (resources: readonly Resource[]): string[] => resources.map(keyOf);
  const users = (query: Record<string, string | number> = {}) => get().req('get', `${BASE}/Users`).query(query);
  const search = (path: string, request: Record<string, unknown>) =>
    get().req('post', `${BASE}${path}/.search`).set('Content-Type', SCIM_JSON).send(request);
  const fullList = async (query: Record<string, string | number> = {}): Promise<Resource[]> => {
    const res = await users({ ...query, count: 1000 });
    return expectList(res);
  };

  return { seedData, id, keyOf, keysOf, users, search, fullList };
}
