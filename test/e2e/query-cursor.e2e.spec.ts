import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ACTIVE,
  expectList,
  queryHelpers,
  SEARCH_REQUEST,
  sorted,
  UNRESERVED,
  USER_KEYS,
  USERNAME_ASC,
  type Resource,
} from '../setup/query-seed.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/* Cursor paging (RFC 9865) over the data of test/fixtures/query/users.seed.json. */

describe('Query: sorting, paging, cursors, projection, /.search', () => {
  let t: TestApp;
  const { seedData, keysOf, users, search, fullList } = queryHelpers(() => t);

  before(async () => {
    t = await startTestApp();
    await seedData();
  });
  after(async () => {
    await t?.close();
  });

  describe('cursor paging (RFC 9865)', () => {
    interface CursorPage {
      readonly keys: string[];
      readonly next?: string;
      readonly previous?: string;
      readonly body: Resource;
    }

    async function cursorPage(
      query: Record<string, string | number>,
      cursor: string,
      count: number,
    ): Promise<CursorPage> {
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
      while (pages[pages.length - 1].next !== undefined) {
        assert.ok(pages.length < 50, 'nextCursor never ends');
        pages.push(await cursorPage(query, pages[pages.length - 1].next!, count));
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
      assert.equal(pages[pages.length - 1].next, undefined);
    });

    it('cursor pages follow sortBy, in both directions', async () => {
      assert.deepEqual(
        (await walk({ sortBy: 'userName' }, 3)).flatMap((p) => p.keys),
        USERNAME_ASC,
      );
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
});
