import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ACTIVE,
  ACTIVE_BY_USERNAME,
  byCodePoint,
  DEPARTMENT,
  DEPARTMENT_ASC,
  EMAIL_ASC,
  expectList,
  fold,
  queryHelpers,
  sorted,
  TITLE_ASC,
  USER_KEYS,
  USERNAME_ASC,
  WITHOUT_DEPARTMENT,
  WITHOUT_EMAILS,
  WITHOUT_TITLE,
  type Resource,
} from '../setup/query-seed.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { ENTERPRISE, startTestApp, type TestApp } from '../setup/test-app.js';

/* Sorting (RFC 7644 §3.4.2.3) and index paging (§3.4.2.4) over the data of test/fixtures/query/users.seed.json. */

describe('Query: sorting, paging, cursors, projection, /.search', () => {
  let t: TestApp;
  const { seedData, keyOf, keysOf, users, fullList } = queryHelpers(() => t);

  before(async () => {
    t = await startTestApp();
    await seedData();
  });
  after(async () => {
    await t?.close();
  });

  describe('sorting (RFC 7644 §3.4.2.3)', () => {
    it('sortBy=userName sorts case-insensitively by the folded value, ascending by default', async () => {
      const resources = await fullList({ sortBy: 'userName' });
      assert.deepEqual(keysOf(resources), USERNAME_ASC);
      // The same order, derived from what was returned: folded userName, ties (none here: userName is unique) by id.
      const derived = [...resources].sort(
        (a, b) => byCodePoint(fold(a['userName']), fold(b['userName'])) || byCodePoint(a['id'], b['id']),
      );
      assert.deepEqual(keysOf(resources), keysOf(derived));
      assert.deepEqual(keysOf(await fullList({ sortBy: 'userName', sortOrder: 'ascending' })), USERNAME_ASC);
    });

    it('sortBy names the attribute case-insensitively and may be URN-qualified', async () => {
      assert.deepEqual(keysOf(await fullList({ sortBy: 'USERNAME' })), USERNAME_ASC);
      assert.deepEqual(
        keysOf(await fullList({ sortBy: 'urn:ietf:params:scim:schemas:core:2.0:User:userName' })),
        USERNAME_ASC,
      );
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
      asc.slice(1).forEach((r, i) => assert.ok(created(asc[i]) <= created(r), `${keyOf(asc[i])} before ${keyOf(r)}`));
      const desc = await fullList({ sortBy: 'meta.created', sortOrder: 'descending' });
      assert.deepEqual(sorted(keysOf(desc)), sorted(USER_KEYS));
      desc
        .slice(1)
        .forEach((r, i) => assert.ok(created(desc[i]) >= created(r), `${keyOf(desc[i])} before ${keyOf(r)}`));
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
});
