import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Response } from 'supertest';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ENTERPRISE, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/*
 * Query features over the data of test/fixtures/query/users.seed.json: sorting
 * (RFC 7644 §3.4.2.3), index paging (§3.4.2.4), cursor paging (RFC 9865), projection
 * (§3.4.2.5, §3.9), POST /.search (§3.4.3), bad input, and discovery.
 */

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const DEPARTMENT = `${ENTERPRISE}:department`;
/** RFC 9865 §2: cursors use only RFC 3986 unreserved characters. */
const UNRESERVED = /^[A-Za-z0-9._~-]+$/;

type SeedResource = Record<string, unknown> & { readonly key: string };
type Resource = Record<string, any>;

interface SeedFile {
  readonly users: readonly SeedResource[];
  readonly groups: readonly SeedResource[];
}

/** The fixtures live in the source tree; specs run from it or from a compiled copy below it. */
function readFixture<T>(name: string): T {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'test', 'fixtures', 'query'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`test/fixtures/query not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return JSON.parse(readFileSync(join(dir, 'test', 'fixtures', 'query', name), 'utf8')) as T;
}

const seed = readFixture<SeedFile>('users.seed.json');
const USER_KEYS = seed.users.map((u) => u.key);
const GROUP_KEYS = seed.groups.map((g) => g.key);

/**
 * The comparison key of a caseExact:false string: NFKC plus full case folding (so "ß"
 * and "ss" meet), the key the server stores for userName. Keys are ordered by code point;
 * the seed has no characters outside the BMP, so UTF-16 order is code point order.
 */
const fold = (value: string): string => value.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase();
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/*
 * Expected orders, reasoned by hand from the seed (folded values in comments).
 * Case-sensitive or accent-folding orders would differ: "firstXlast" would precede
 * "first_last" ('X' < '_' < 'x'), and "Eve.Upper"/"Straße"/"Émile" would move.
 */
const USERNAME_ASC = [
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
const EMAIL_ASC = [
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
const WITHOUT_EMAILS = ['u05', 'u06', 'u07', 'u09', 'u14'];

/** sortBy=title, as folded keys; u14's empty title is left out of the comparison (no data or "" is unspecified). */
const TITLE_ASC = ['50% lead', '50x lead', 'engineer', 'engineer', 'engineer', 'engineer', 'manager', 'manager', 'philosopher', 'zebra keeper'];
const WITHOUT_TITLE = ['u03', 'u08', 'u09', 'u11', 'u12'];

const DEPARTMENT_ASC = ['engineering', 'engineering', 'engineering', 'research', 'sales', 'sales'];
const WITHOUT_DEPARTMENT = ['u03', 'u05', 'u06', 'u07', 'u08', 'u09', 'u11', 'u12', 'u14', 'u16'];

const ACTIVE = ['u01', 'u04', 'u05', 'u10', 'u11', 'u14'];
/** The active users in userName order: alice, bjensen, dave, first_last, łukasz, σίσυφος. */
const ACTIVE_BY_USERNAME = ['u10', 'u01', 'u14', 'u11', 'u04', 'u05'];

const sorted = (values: readonly string[]): string[] => [...values].sort();

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
function expectList(res: Response, cursorPage = false): Resource[] {
  assert.equal(res.status, 200, `expected 200, got ${res.status}: ${res.text}`);
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
  assert.deepEqual(res.body.schemas, [LIST_RESPONSE]);
  if (!cursorPage || res.body.totalResults !== undefined) assert.equal(typeof res.body.totalResults, 'number');
  return res.body.Resources ?? [];
}

/** An RFC 7644 §3.12 error whose scimType is one of `allowed`. */
function expectScimErrorOneOf(res: Response, status: number, allowed: readonly string[]): void {
  assert.ok(allowed.includes(res.body?.scimType), `expected scimType in ${allowed.join('/')}, got ${res.status}: ${res.text}`);
  expectScimError(res, status, res.body.scimType);
}

describe('Query: sorting, paging, cursors, projection, /.search', () => {
  let t: TestApp;
  const ids = new Map<string, string>();
  const keys = new Map<string, string>();

  before(async () => {
    t = await startTestApp();
    for (const [path, resources] of [['Users', seed.users], ['Groups', seed.groups]] as const) {
      for (const resource of resources) {
        const { key, ...rest } = resource;
        const res = await t.req('post', `${BASE}/${path}`).set('Content-Type', SCIM_JSON)
          .send(JSON.parse(substitute(JSON.stringify(rest), ids)));
        assert.equal(res.status, 201, `seeding ${key}: ${res.status} ${res.text}`);
        ids.set(key, res.body.id);
        keys.set(res.body.id, key);
      }
    }
  });
  after(async () => {
    await t?.close();
  });

  const id = (key: string): string => {
    const value = ids.get(key);
    assert.ok(value, `no seeded resource ${key}`);
    return value;
  };
  const keyOf = (resource: Resource): string => keys.get(resource['id']) ?? `?${resource['id']}`;
  const keysOf = (resources: readonly Resource[]): string[] => resources.map(keyOf);
  const users = (query: Record<string, string | number> = {}) => t.req('get', `${BASE}/Users`).query(query);
  const search = (path: string, request: Record<string, unknown>) =>
    t.req('post', `${BASE}${path}/.search`).set('Content-Type', SCIM_JSON).send(request);
  const fullList = async (query: Record<string, string | number> = {}): Promise<Resource[]> => {
    const res = await users({ ...query, count: 1000 });
    return expectList(res);
  };

  describe('sorting (RFC 7644 §3.4.2.3)', () => {
    it('sortBy=userName sorts case-insensitively by the folded value, ascending by default', async () => {
      const resources = await fullList({ sortBy: 'userName' });
      assert.deepEqual(keysOf(resources), USERNAME_ASC);
      // The same order, derived from what was returned: folded userName, ties (none here: userName is unique) by id.
      const derived = [...resources].sort((a, b) => byCodePoint(fold(a['userName']), fold(b['userName'])) || byCodePoint(a['id'], b['id']));
      assert.deepEqual(keysOf(resources), keysOf(derived));
      assert.deepEqual(keysOf(await fullList({ sortBy: 'userName', sortOrder: 'ascending' })), USERNAME_ASC);
    });

    it('sortBy names the attribute case-insensitively and may be URN-qualified', async () => {
      assert.deepEqual(keysOf(await fullList({ sortBy: 'USERNAME' })), USERNAME_ASC);
      assert.deepEqual(keysOf(await fullList({ sortBy: 'urn:ietf:params:scim:schemas:core:2.0:User:userName' })), USERNAME_ASC);
    });

    it('sortOrder=descending reverses the order; the value is case-insensitive', async () => {
      const reversed = [...USERNAME_ASC].reverse();
      assert.deepEqual(keysOf(await fullList({ sortBy: 'userName', sortOrder: 'descending' })), reversed);
      assert.deepEqual(keysOf(await fullList({ sortBy: 'userName', sortOrder: 'DESCENDING' })), reversed);
      assert.deepEqual(keysOf(await fullList({ sortBy: 'userName', sortOrder: 'Descending' })), reversed);
    });

    it('sorting applies to the filtered set', async () => {
      assert.deepEqual(keysOf(await fullList({ filter: 'active eq true', sortBy: 'userName' })), ACTIVE_BY_USERNAME);
      assert.deepEqual(
        keysOf(await fullList({ filter: 'active eq true', sortBy: 'userName', sortOrder: 'descending' })),
        [...ACTIVE_BY_USERNAME].reverse(),
      );
    });

    it('sortBy=title: case-insensitive; users without a title last ascending, first descending', async () => {
      const titleKey = (r: Resource): string | null => (typeof r['title'] === 'string' ? fold(r['title']) : null);
      const asc = (await fullList({ sortBy: 'title' })).filter((r) => r['title'] !== '');
      assert.deepEqual(asc.map(titleKey), [...TITLE_ASC, ...WITHOUT_TITLE.map(() => null)]);
      assert.deepEqual(sorted(keysOf(asc.slice(TITLE_ASC.length))), WITHOUT_TITLE);
      const desc = (await fullList({ sortBy: 'title', sortOrder: 'descending' })).filter((r) => r['title'] !== '');
      assert.deepEqual(desc.map(titleKey), [...WITHOUT_TITLE.map(() => null), ...[...TITLE_ASC].reverse()]);
      assert.deepEqual(sorted(keysOf(desc.slice(0, WITHOUT_TITLE.length))), WITHOUT_TITLE);
    });

    it('sortBy=emails.value sorts by the primary email, else the first; users without emails last', async () => {
      const asc = await fullList({ sortBy: 'emails.value' });
      assert.deepEqual(keysOf(asc.slice(0, EMAIL_ASC.length)), EMAIL_ASC);
      assert.deepEqual(sorted(keysOf(asc.slice(EMAIL_ASC.length))), WITHOUT_EMAILS);
      const desc = await fullList({ sortBy: 'emails.value', sortOrder: 'descending' });
      assert.deepEqual(sorted(keysOf(desc.slice(0, WITHOUT_EMAILS.length))), WITHOUT_EMAILS);
      assert.deepEqual(keysOf(desc.slice(WITHOUT_EMAILS.length)), [...EMAIL_ASC].reverse());
    });

    it('sortBy=emails (the multi-valued attribute itself) sorts like emails.value', async () => {
      const asc = await fullList({ sortBy: 'emails' });
      assert.deepEqual(keysOf(asc.slice(0, EMAIL_ASC.length)), EMAIL_ASC);
      assert.deepEqual(sorted(keysOf(asc.slice(EMAIL_ASC.length))), WITHOUT_EMAILS);
    });

    it('sortBy=meta.created sorts chronologically', async () => {
      const created = (r: Resource): number => Date.parse(r['meta']['created']);
      const asc = await fullList({ sortBy: 'meta.created' });
      assert.deepEqual(sorted(keysOf(asc)), sorted(USER_KEYS));
      asc.slice(1).forEach((r, i) => assert.ok(created(asc[i]!) <= created(r), `${keyOf(asc[i]!)} before ${keyOf(r)}`));
      const desc = await fullList({ sortBy: 'meta.created', sortOrder: 'descending' });
      assert.deepEqual(sorted(keysOf(desc)), sorted(USER_KEYS));
      desc.slice(1).forEach((r, i) => assert.ok(created(desc[i]!) >= created(r), `${keyOf(desc[i]!)} before ${keyOf(r)}`));
    });

    it('sortBy=<enterprise>:department sorts by the extension attribute, missing last ascending', async () => {
      const dept = (r: Resource): string | null => {
        const value = r[ENTERPRISE]?.['department'];
        return typeof value === 'string' ? fold(value) : null;
      };
      const asc = await fullList({ sortBy: DEPARTMENT });
      assert.deepEqual(asc.map(dept), [...DEPARTMENT_ASC, ...WITHOUT_DEPARTMENT.map(() => null)]);
      assert.deepEqual(sorted(keysOf(asc.slice(DEPARTMENT_ASC.length))), WITHOUT_DEPARTMENT);
      const desc = await fullList({ sortBy: DEPARTMENT, sortOrder: 'descending' });
      assert.deepEqual(desc.map(dept), [...WITHOUT_DEPARTMENT.map(() => null), ...[...DEPARTMENT_ASC].reverse()]);
    });

    it('an unknown or unusable sortBy, or a bad sortOrder, is 400 invalidValue', async () => {
      expectScimError(await users({ sortBy: 'noSuchAttribute' }), 400, 'invalidValue');
      expectScimError(await users({ sortBy: 'name.noSuchPart' }), 400, 'invalidValue');
      expectScimError(await users({ sortBy: `${ENTERPRISE}:noSuchAttribute` }), 400, 'invalidValue');
      // §3.4.2.3: a complex attribute must be named by a sub-attribute path; "name" has no "value".
      expectScimError(await users({ sortBy: 'name' }), 400, 'invalidValue');
      expectScimError(await users({ sortBy: 'userName', sortOrder: 'sideways' }), 400, 'invalidValue');
    });
  });

  describe('index paging (RFC 7644 §3.4.2.4)', () => {
    /** Walks startIndex by the number of items each page returned (a server MAY return fewer than count). */
    async function walk(query: Record<string, string | number>, count: number): Promise<string[]> {
      const seen: string[] = [];
      let total: number | undefined;
      for (let start = 1, guard = 0; guard < 100; guard += 1) {
        const res = await users({ ...query, startIndex: start, count });
        const page = expectList(res);
        total ??= res.body.totalResults;
        assert.equal(res.body.totalResults, total);
        assert.equal(res.body.startIndex, start);
        assert.equal(res.body.itemsPerPage, page.length);
        assert.ok(page.length <= count, `page at ${start} has ${page.length} > ${count} items`);
        if (page.length === 0) break;
        seen.push(...keysOf(page));
        start += page.length;
        if (start > (total ?? 0)) break;
      }
      assert.equal(seen.length, total);
      return seen;
    }

    it('count=3 pages concatenate to the one-page order, every user exactly once', async () => {
      const all = keysOf(await fullList());
      assert.deepEqual(sorted(all), sorted(USER_KEYS));
      const paged = await walk({}, 3);
      assert.deepEqual(paged, all);
      assert.equal(new Set(paged).size, USER_KEYS.length);
    });

    it('pages of a sorted, filtered query follow the sort', async () => {
      assert.deepEqual(await walk({ sortBy: 'userName' }, 3), USERNAME_ASC);
      assert.deepEqual(await walk({ sortBy: 'userName', sortOrder: 'descending' }, 4), [...USERNAME_ASC].reverse());
      assert.deepEqual(await walk({ filter: 'active eq true', sortBy: 'userName' }, 2), ACTIVE_BY_USERNAME);
    });

    it('startIndex beyond the total is 200 with no Resources and the real totalResults', async () => {
      const res = await users({ startIndex: 100, count: 3 });
      const page = expectList(res);
      assert.deepEqual(page, []);
      assert.equal(res.body.totalResults, USER_KEYS.length);
      assert.equal(res.body.itemsPerPage, 0);
      assert.equal(res.body.startIndex, 100);
    });

    it('count=0 returns only totalResults', async () => {
      const res = await users({ count: 0 });
      assert.deepEqual(expectList(res), []);
      assert.equal(res.body.totalResults, USER_KEYS.length);
      assert.equal(res.body.itemsPerPage, 0);
      const filtered = await users({ count: 0, filter: 'active eq true' });
      assert.deepEqual(expectList(filtered), []);
      assert.equal(filtered.body.totalResults, ACTIVE.length);
    });
  });

  describe('cursor paging (RFC 9865)', () => {
    interface CursorPage {
      readonly keys: string[];
      readonly next?: string;
      readonly previous?: string;
      readonly body: Resource;
    }

    async function cursorPage(query: Record<string, string | number>, cursor: string, count: number): Promise<CursorPage> {
      const res = await users({ ...query, cursor, count });
      const page = expectList(res, true);
      assert.ok(page.length <= count, `a cursor page has ${page.length} > ${count} items`);
      const { nextCursor, previousCursor } = res.body;
      for (const c of [nextCursor, previousCursor]) {
        if (c !== undefined) assert.match(c, UNRESERVED, 'cursors use only unreserved characters');
      }
      return { keys: keysOf(page), next: nextCursor, previous: previousCursor, body: res.body };
    }

    /** Follows nextCursor from the first page until it is absent. */
    async function walk(query: Record<string, string | number>, count: number): Promise<CursorPage[]> {
      const pages = [await cursorPage(query, '', count)];
      while (pages[pages.length - 1]!.next !== undefined) {
        assert.ok(pages.length < 50, 'nextCursor never ends');
        pages.push(await cursorPage(query, pages[pages.length - 1]!.next!, count));
      }
      return pages;
    }

    it('an empty cursor asks for the first page: nextCursor, no previousCursor', async () => {
      const first = await cursorPage({}, '', 3);
      assert.ok(first.keys.length > 0 && first.keys.length <= 3);
      assert.equal(typeof first.next, 'string', 'nextCursor is present on every page but the last');
      assert.ok(first.next!.length > 0);
      assert.equal(first.previous, undefined, 'previousCursor MUST NOT be on the first page');
      if (first.body['totalResults'] !== undefined) assert.equal(first.body['totalResults'], USER_KEYS.length);
    });

    it('following nextCursor visits every user exactly once; the last page has no nextCursor', async () => {
      const pages = await walk({}, 3);
      const seen = pages.flatMap((p) => p.keys);
      assert.equal(seen.length, USER_KEYS.length, `visited ${seen.join(',')}`);
      assert.equal(new Set(seen).size, USER_KEYS.length);
      assert.deepEqual(sorted(seen), sorted(keysOf(await fullList())));
      assert.ok(pages.length >= Math.ceil(USER_KEYS.length / 3));
      assert.equal(pages[pages.length - 1]!.next, undefined);
    });

    it('cursor pages follow sortBy, in both directions', async () => {
      assert.deepEqual((await walk({ sortBy: 'userName' }, 3)).flatMap((p) => p.keys), USERNAME_ASC);
      assert.deepEqual(
        (await walk({ sortBy: 'userName', sortOrder: 'descending' }, 5)).flatMap((p) => p.keys),
        [...USERNAME_ASC].reverse(),
      );
    });

    it('cursor pages follow a filter', async () => {
      const pages = await walk({ filter: 'active eq true' }, 2);
      assert.deepEqual(sorted(pages.flatMap((p) => p.keys)), sorted(ACTIVE));
      for (const page of pages) {
        if (page.body['totalResults'] !== undefined) assert.equal(page.body['totalResults'], ACTIVE.length);
      }
    });

    it('previousCursor returns exactly the previous page', async () => {
      const query = { sortBy: 'userName' };
      const pages = await walk(query, 3);
      assert.ok(pages.length >= 3);
      const [p1, p2, p3] = pages as [CursorPage, CursorPage, CursorPage];
      assert.equal(typeof p2.previous, 'string', 'the second page has a previousCursor');
      const back1 = await cursorPage(query, p2.previous!, 3);
      assert.deepEqual(back1.keys, p1.keys);
      assert.equal(back1.previous, undefined, 'going back to the first page: no previousCursor');
      assert.equal(typeof back1.next, 'string');
      assert.equal(typeof p3.previous, 'string', 'the third page has a previousCursor');
      const back2 = await cursorPage(query, p3.previous!, 3);
      assert.deepEqual(back2.keys, p2.keys);
      // And forward again from there.
      assert.deepEqual((await cursorPage(query, back2.next!, 3)).keys, p3.keys);
    });

    it('a tampered or made-up cursor is 400 invalidCursor', async () => {
      const first = await cursorPage({}, '', 3);
      assert.equal(typeof first.next, 'string');
      const cursor = first.next!;
      const at = Math.floor(cursor.length / 2);
      const tampered = `${cursor.slice(0, at)}${cursor[at] === 'A' ? 'B' : 'A'}${cursor.slice(at + 1)}`;
      expectScimError(await users({ cursor: tampered, count: 3 }), 400, 'invalidCursor');
      expectScimError(await users({ cursor: `${cursor}x`, count: 3 }), 400, 'invalidCursor');
      expectScimError(await users({ cursor: 'not-a-cursor', count: 3 }), 400, 'invalidCursor');
    });

    it('changing count between pages is 400 invalidCount', async () => {
      const first = await cursorPage({}, '', 3);
      assert.equal(typeof first.next, 'string');
      expectScimError(await users({ cursor: first.next!, count: 4 }), 400, 'invalidCount');
    });

    it('a cursor used with another filter is 400 invalidCursor', async () => {
      const first = await cursorPage({ filter: 'active eq true' }, '', 2);
      assert.equal(typeof first.next, 'string');
      expectScimError(await users({ filter: 'active eq false', cursor: first.next!, count: 2 }), 400, 'invalidCursor');
      expectScimError(await users({ cursor: first.next!, count: 2 }), 400, 'invalidCursor');
    });

    it('POST /.search takes the cursor in the body (RFC 9865 §3)', async () => {
      const request = { schemas: [SEARCH_REQUEST], sortBy: 'userName', count: 4 };
      const seen: string[] = [];
      let res = await search('/Users', { ...request, cursor: '' });
      assert.equal(res.body.previousCursor, undefined);
      for (let guard = 0; ; guard += 1) {
        assert.ok(guard < 20, 'nextCursor never ends');
        seen.push(...keysOf(expectList(res, true)));
        if (res.body.nextCursor === undefined) break;
        res = await search('/Users', { ...request, cursor: res.body.nextCursor });
      }
      assert.deepEqual(seen, USERNAME_ASC);
    });
  });

  describe('projection (RFC 7644 §3.4.2.5, §3.9)', () => {
    it('attributes=userName,emails.value returns id, schemas, userName and emails with only value', async () => {
      const one = await t.req('get', `${BASE}/Users/${id('u01')}`).query({ attributes: 'userName,emails.value' });
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(Object.keys(one.body).sort(), ['emails', 'id', 'schemas', 'userName']);
      assert.deepEqual(one.body.emails, [{ value: 'bjensen@example.com' }, { value: 'babs@home.example.org' }]);
      const none = await t.req('get', `${BASE}/Users/${id('u09')}`).query({ attributes: 'userName,emails.value' });
      assert.deepEqual(Object.keys(none.body).sort(), ['id', 'schemas', 'userName']);

      const list = await fullList({ attributes: 'userName,emails.value' });
      assert.equal(list.length, USER_KEYS.length);
      for (const r of list) {
        const expected = WITHOUT_EMAILS.includes(keyOf(r)) ? ['id', 'schemas', 'userName'] : ['emails', 'id', 'schemas', 'userName'];
        assert.deepEqual(Object.keys(r).sort(), expected, keyOf(r));
        for (const email of r['emails'] ?? []) assert.deepEqual(Object.keys(email), ['value']);
      }
    });

    it('attributes=name.givenName returns just that sub-attribute; names are case-insensitive', async () => {
      const res = await t.req('get', `${BASE}/Users/${id('u01')}`).query({ attributes: 'Name.GivenName,USERNAME' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['id', 'name', 'schemas', 'userName']);
      assert.deepEqual(res.body.name, { givenName: 'Barbara' });
      assert.equal(res.body.userName, 'bjensen@example.com');
    });

    it('excludedAttributes=emails,name removes them and keeps the rest', async () => {
      const one = await t.req('get', `${BASE}/Users/${id('u01')}`).query({ excludedAttributes: 'emails,name' });
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.emails, undefined);
      assert.equal(one.body.name, undefined);
      assert.equal(one.body.userName, 'bjensen@example.com');
      assert.equal(one.body.title, 'Engineer');
      assert.equal(one.body.meta.resourceType, 'User');
      assert.deepEqual(one.body[ENTERPRISE], { employeeNumber: '1001', department: 'Engineering' });
      const list = await fullList({ excludedAttributes: 'emails,name' });
      assert.equal(list.length, USER_KEYS.length);
      for (const r of list) {
        assert.equal(r['emails'], undefined, keyOf(r));
        assert.equal(r['name'], undefined, keyOf(r));
        assert.equal(typeof r['userName'], 'string');
        assert.equal(typeof r['id'], 'string');
        assert.equal(r['meta']?.['resourceType'], 'User');
      }
    });

    it('attributes=<enterprise>:department returns only the department inside the extension', async () => {
      const one = await t.req('get', `${BASE}/Users/${id('u01')}`).query({ attributes: DEPARTMENT });
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(Object.keys(one.body).sort(), [ENTERPRISE, 'id', 'schemas'].sort());
      assert.deepEqual(one.body[ENTERPRISE], { department: 'Engineering' });
      const without = await t.req('get', `${BASE}/Users/${id('u03')}`).query({ attributes: DEPARTMENT });
      assert.deepEqual(Object.keys(without.body).sort(), ['id', 'schemas']);
      const list = await fullList({ attributes: DEPARTMENT, sortBy: 'userName' });
      const departments = Object.fromEntries(list.map((r) => [keyOf(r), r[ENTERPRISE]?.['department'] ?? null]));
      assert.deepEqual(departments, {
        u01: 'Engineering', u02: 'engineering', u03: null, u04: 'Sales', u05: null, u06: null, u07: null, u08: null,
        u09: null, u10: 'Research', u11: null, u12: null, u13: 'Engineering', u14: null, u15: 'Sales', u16: null,
      });
      for (const r of list) {
        assert.deepEqual(Object.keys(r).filter((k) => k !== ENTERPRISE).sort(), ['id', 'schemas'], keyOf(r));
        if (r[ENTERPRISE] !== undefined) assert.deepEqual(Object.keys(r[ENTERPRISE]), ['department'], keyOf(r));
      }
    });

    it('attributes together with excludedAttributes is 400 invalidValue', async () => {
      expectScimError(await users({ attributes: 'userName', excludedAttributes: 'emails' }), 400, 'invalidValue');
      expectScimError(
        await t.req('get', `${BASE}/Users/${id('u01')}`).query({ attributes: 'userName', excludedAttributes: 'emails' }),
        400,
        'invalidValue',
      );
      expectScimError(
        await search('/Users', { schemas: [SEARCH_REQUEST], attributes: ['userName'], excludedAttributes: ['emails'] }),
        400,
        'invalidValue',
      );
    });

    it('POST and PUT responses honour attributes and excludedAttributes', async () => {
      const created: string[] = [];
      try {
        const post = await t.req('post', `${BASE}/Users`).query({ attributes: 'userName' }).set('Content-Type', SCIM_JSON)
          .send(userBody('projected.post@example.com', { displayName: 'Projected', title: 'Temp', emails: [{ value: 'p@example.com' }] }));
        assert.equal(post.status, 201, post.text);
        created.push(post.body.id);
        assert.deepEqual(Object.keys(post.body).sort(), ['id', 'schemas', 'userName']);
        assert.equal(post.headers['location'], `${t.url}${BASE}/Users/${post.body.id}`);

        const excluded = await t.req('post', `${BASE}/Users`).query({ excludedAttributes: 'emails,meta' }).set('Content-Type', SCIM_JSON)
          .send(userBody('projected.excl@example.com', { displayName: 'Excluded', emails: [{ value: 'e@example.com' }] }));
        assert.equal(excluded.status, 201, excluded.text);
        created.push(excluded.body.id);
        assert.equal(excluded.body.emails, undefined);
        assert.equal(excluded.body.meta, undefined);
        assert.equal(excluded.body.displayName, 'Excluded');

        const put = await t.req('put', `${BASE}/Users/${post.body.id}`).query({ attributes: 'displayName' }).set('Content-Type', SCIM_JSON)
          .send(userBody('projected.post@example.com', { displayName: 'Replaced', title: 'Temp' }));
        assert.equal(put.status, 200, put.text);
        assert.deepEqual(put.body, { schemas: put.body.schemas, id: post.body.id, displayName: 'Replaced' });
      } finally {
        // The other tests count the seeded users.
        for (const extra of created) assert.equal((await t.req('delete', `${BASE}/Users/${extra}`)).status, 204);
      }
    });
  });

  describe('POST /.search (RFC 7644 §3.4.3)', () => {
    it('POST /Users/.search answers exactly what the equivalent GET answers', async () => {
      const filter = 'userName sw "b" or emails co "home"';
      const post = await search('/Users', {
        schemas: [SEARCH_REQUEST], filter, attributes: ['userName', 'emails.value'], startIndex: 2, count: 3, sortBy: 'userName',
      });
      const page = expectList(post);
      // Matches: u01, u03, u08, u09, u10, u11, u13; by userName: alice, back\slash, backslash, bjensen, carol, first_last, émile.
      assert.equal(post.body.totalResults, 7);
      assert.equal(post.body.startIndex, 2);
      assert.deepEqual(keysOf(page), ['u08', 'u09', 'u01']);
      const get = await users({ filter, attributes: 'userName,emails.value', startIndex: 2, count: 3, sortBy: 'userName' });
      assert.equal(get.status, 200, get.text);
      assert.deepEqual(post.body, get.body);

      const excluded = await search('/Users', {
        schemas: [SEARCH_REQUEST], filter: 'active eq true', excludedAttributes: ['emails', 'meta'], sortBy: 'userName', sortOrder: 'descending',
      });
      const excludedGet = await users({ filter: 'active eq true', excludedAttributes: 'emails,meta', sortBy: 'userName', sortOrder: 'descending' });
      assert.deepEqual(keysOf(expectList(excluded)), [...ACTIVE_BY_USERNAME].reverse());
      assert.deepEqual(excluded.body, excludedGet.body);
      for (const r of excluded.body.Resources) {
        assert.equal(r.emails, undefined);
        assert.equal(r.meta, undefined);
      }
    });

    it('a SearchRequest without its schema, or not an object, is 400 invalidValue or invalidSyntax', async () => {
      expectScimErrorOneOf(await search('/Users', { filter: 'userName pr' }), 400, ['invalidValue', 'invalidSyntax']);
      expectScimErrorOneOf(
        await search('/Users', { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], filter: 'userName pr' }),
        400,
        ['invalidValue', 'invalidSyntax'],
      );
      const array = await t.req('post', `${BASE}/Users/.search`).set('Content-Type', SCIM_JSON).send('[]');
      expectScimErrorOneOf(array, 400, ['invalidValue', 'invalidSyntax']);
      expectScimError(await search('/Users', { schemas: [SEARCH_REQUEST], filter: 'userName eq' }), 400, 'invalidFilter');
    });

    it('POST /Groups/.search filters groups and honours excludedAttributes', async () => {
      const res = await search('/Groups', {
        schemas: [SEARCH_REQUEST], filter: `members.value eq "${id('u03')}"`, excludedAttributes: ['members'],
      });
      const groups = expectList(res);
      assert.deepEqual(sorted(keysOf(groups)), ['g1', 'g3']);
      assert.equal(res.body.totalResults, 2);
      for (const g of groups) {
        assert.equal(g['members'], undefined);
        assert.equal(typeof g['displayName'], 'string');
      }
    });

    it('POST /.search at the root searches Users and Groups together', async () => {
      const byName = await search('', { schemas: [SEARCH_REQUEST], filter: 'displayName eq "Platform Ops"' });
      const found = expectList(byName);
      assert.deepEqual(keysOf(found), ['g1']);
      assert.equal(found[0]!['meta']['resourceType'], 'Group');
      assert.equal(byName.body.totalResults, 1);

      const groups = await search('', { schemas: [SEARCH_REQUEST], filter: 'meta.resourceType eq "Group"', count: 1000 });
      assert.deepEqual(sorted(keysOf(expectList(groups))), sorted(GROUP_KEYS));
      assert.equal(groups.body.totalResults, GROUP_KEYS.length);
      for (const g of groups.body.Resources) assert.equal(g.meta.resourceType, 'Group');

      const everything = await search('', { schemas: [SEARCH_REQUEST], count: 1000 });
      assert.deepEqual(sorted(keysOf(expectList(everything))), sorted([...USER_KEYS, ...GROUP_KEYS]));
      assert.equal(everything.body.totalResults, USER_KEYS.length + GROUP_KEYS.length);

      // §3.4.2.1: an attribute a resource type does not define is unassigned for it, not an error.
      const onlyUsers = await search('', { schemas: [SEARCH_REQUEST], filter: 'userName sw "b"', count: 1000 });
      assert.deepEqual(sorted(keysOf(expectList(onlyUsers))), ['u01', 'u08', 'u09']);
      const onlyGroups = await search('', { schemas: [SEARCH_REQUEST], filter: 'members pr', count: 1000 });
      assert.deepEqual(sorted(keysOf(expectList(onlyGroups))), sorted(GROUP_KEYS));
      const engineers = await search('', {
        schemas: [SEARCH_REQUEST], filter: 'meta.resourceType eq "User" and title eq "engineer"', count: 1000,
      });
      assert.deepEqual(sorted(keysOf(expectList(engineers))), ['u01', 'u02', 'u13', 'u15']);
      expectScimError(await search('', { schemas: [SEARCH_REQUEST], filter: 'displayName eq' }), 400, 'invalidFilter');
    });

    it('root /.search pages across both types without repeats', async () => {
      const seen: string[] = [];
      for (let start = 1, guard = 0; guard < 50; guard += 1) {
        const res = await search('', { schemas: [SEARCH_REQUEST], startIndex: start, count: 5 });
        const page = expectList(res);
        assert.equal(res.body.totalResults, USER_KEYS.length + GROUP_KEYS.length);
        if (page.length === 0) break;
        seen.push(...keysOf(page));
        start += page.length;
        if (start > res.body.totalResults) break;
      }
      assert.equal(seen.length, USER_KEYS.length + GROUP_KEYS.length);
      assert.deepEqual(sorted(seen), sorted([...USER_KEYS, ...GROUP_KEYS]));
    });
  });

  describe('reads only what the projection needs (requirements B.9)', () => {
    const membersReads = (statements: readonly string[]) => statements.filter((s) => /group_members/i.test(s));

    it('GET /Groups/{id}?excludedAttributes=members runs no statement on group_members', async () => {
      const { result, statements } = await t.captureReads(() =>
        t.req('get', `${BASE}/Groups/${id('g2')}`).query({ excludedAttributes: 'members' }));
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.members, undefined);
      assert.equal(result.body.displayName, 'Engineering Team');
      assert.ok(statements.length > 0, 'the group is read through the reader');
      assert.deepEqual(membersReads(statements), []);
    });

    it('GET /Groups?filter=displayName eq …&excludedAttributes=members runs no statement on group_members', async () => {
      const { result, statements } = await t.captureReads(() =>
        t.req('get', `${BASE}/Groups`).query({ filter: 'displayName eq "Engineering Team"', excludedAttributes: 'members' }));
      assert.deepEqual(keysOf(expectList(result)), ['g2']);
      assert.equal(result.body.Resources[0].members, undefined);
      assert.deepEqual(membersReads(statements), []);
    });

    it('GET /Users?attributes=userName does not compute groups', async () => {
      const { result, statements } = await t.captureReads(() => users({ attributes: 'userName', count: 1000 }));
      assert.equal(expectList(result).length, USER_KEYS.length);
      assert.deepEqual(membersReads(statements), []);
    });
  });

  describe('bad input is 400, never 500', () => {
    const malformed: ReadonlyArray<readonly [string, string]> = [
      ['unbalanced parenthesis', 'userName eq "a" and (active eq true'],
      ['unopened parenthesis', 'userName eq "a")'],
      ['unbalanced bracket', 'emails[type eq "work"'],
      ['stray closing bracket', 'emails[type eq "work"]]'],
      ['unknown operator', 'userName xx "a"'],
      ['spelled-out operator', 'userName equals "a"'],
      ['unknown attribute', 'noSuchAttribute eq "a"'],
      ['unknown sub-attribute', 'name.noSuchPart eq "a"'],
      ['unknown extension attribute', `${ENTERPRISE}:noSuchAttribute eq "a"`],
      ['unknown schema URN', 'urn:example:no:such:schema:userName eq "a"'],
      ['ordering a boolean', 'active gt true'],
      ['unterminated string', 'userName eq "abc'],
      ['not without parentheses', 'not userName eq "a"'],
      ['empty filter', ''],
      ['blank filter', '   '],
      ['missing value', 'userName eq'],
      ['dangling or', 'userName eq "a" or'],
      ['leading and', 'and userName eq "a"'],
      ['not a dateTime', 'meta.created gt "yesterday"'],
      ['nested value paths', 'emails[type eq "work" and emails[value pr]]'],
      ['unknown sub-attribute in a value path', 'emails[noSuchPart eq "a"]'],
    ];

    for (const [what, filter] of malformed) {
      it(`GET /Users: ${what} (${JSON.stringify(filter)}) is 400 invalidFilter`, async () => {
        expectScimError(await users({ filter }), 400, 'invalidFilter');
      });
    }

    it('the same filters through POST /Users/.search are 400 invalidFilter', async () => {
      for (const [what, filter] of malformed) {
        const res = await search('/Users', { schemas: [SEARCH_REQUEST], filter });
        assert.equal(res.status, 400, `${what}: ${res.status} ${res.text}`);
        expectScimError(res, 400, 'invalidFilter');
      }
    });

    /** `terms` or-ed userName comparisons; two of them name seeded users. */
    function orFilter(terms: number, name: (i: number) => string): string {
      const names = Array.from({ length: terms - 2 }, (_, i) => name(i));
      names.splice(terms >> 1, 0, 'BJENSEN@example.com', 'backslash');
      return names.map((n) => `userName eq "${n}"`).join(' or ');
    }

    it('a 10,000-character filter under the limits is answered; over 200 terms or 16 KiB is 400 invalidFilter', async () => {
      const under = orFilter(200, (i) => `nobody-${String(i).padStart(3, '0')}-${'x'.repeat(13)}@example.com`);
      assert.ok(under.length >= 10_000 && under.length < 16_384, `test filter is ${under.length} characters`);
      const res = await search('/Users', { schemas: [SEARCH_REQUEST], filter: under, count: 1000 });
      assert.deepEqual(sorted(keysOf(expectList(res))), ['u01', 'u09']);
      assert.equal(res.body.totalResults, 2);

      // Short enough to fit a GET request line too (about 10 KB URL-encoded).
      const tooManyTerms = orFilter(201, (i) => `n${i}`);
      assert.ok(tooManyTerms.length < 16_384, `test filter is ${tooManyTerms.length} characters`);
      expectScimError(await search('/Users', { schemas: [SEARCH_REQUEST], filter: tooManyTerms }), 400, 'invalidFilter');
      expectScimError(await users({ filter: tooManyTerms }), 400, 'invalidFilter');

      const tooLong = `userName eq "${'a'.repeat(17_000)}"`;
      expectScimError(await search('/Users', { schemas: [SEARCH_REQUEST], filter: tooLong }), 400, 'invalidFilter');
    });

    it('a filter nested 1,000 levels deep is 400 invalidFilter', async () => {
      const parens = `${'('.repeat(1000)}userName eq "bjensen@example.com"${')'.repeat(1000)}`;
      const nots = `${'not ('.repeat(1000)}userName eq "bjensen@example.com"${')'.repeat(1000)}`;
      for (const filter of [parens, nots]) {
        expectScimError(await users({ filter }), 400, 'invalidFilter');
        expectScimError(await search('/Users', { schemas: [SEARCH_REQUEST], filter }), 400, 'invalidFilter');
      }
    });
  });

  describe('discovery', () => {
    it('ServiceProviderConfig advertises filter, sort and both pagination methods', async () => {
      const res = await t.req('get', `${BASE}/ServiceProviderConfig`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.filter?.supported, true);
      assert.equal(typeof res.body.filter?.maxResults, 'number');
      assert.equal(res.body.sort?.supported, true);
      assert.equal(res.body.pagination?.cursor, true);
      assert.equal(res.body.pagination?.index, true);
      assert.equal(res.body.pagination?.defaultPaginationMethod, 'index');
    });
  });
});
