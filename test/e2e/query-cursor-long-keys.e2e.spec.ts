import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Json } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

// Long common prefixes: the titles differ only after the first 3,000 characters (or not at all).
const PREFIX = 'T'.repeat(3000);
const TITLES: (string | undefined)[] = [
  `${PREFIX}${'b'.repeat(600)}`,
  `${PREFIX}${'a'.repeat(600)}`,
  `${PREFIX}${'a'.repeat(599)}c`,
  `${PREFIX}${'a'.repeat(600)}`, // the same title as above: the id breaks the tie
  `${PREFIX}${'é😀'.repeat(300)}`,
  'short',
  undefined, // no title: last ascending, first descending
  `${'T'.repeat(256)}${'z'.repeat(3300)}`, // differs right after the cut
];
/** Far below MAX_CURSOR_LENGTH (4,096) whatever the data: a 256-code-point prefix, the id, a digest. */
const CURSOR_BOUND = 2600;

/** RFC 9865 cursors over sort keys far longer than a cursor may be. */
describe('Cursor paging on long sort values', () => {
  let t: TestApp;
  const ids: string[] = [];
  before(async () => {
    t = await startTestApp();
    for (const [i, title] of TITLES.entries()) {
      const res = await t
        .req('post', `${BASE}/Users`)
        .set('Content-Type', SCIM_JSON)
        .send(userBody(`long.${i}`, title === undefined ? {} : { title }));
      assert.equal(res.status, 201, res.text);
      ids.push(res.body.id);
    }
  });
  after(async () => {
    await t.close();
  });

  const list = (query: Record<string, string | number>) =>
    t.req('get', `${BASE}/Users`).query({ sortBy: 'title', attributes: 'title', ...query });

  interface Page {
    readonly ids: string[];
    readonly next?: string;
    readonly previous?: string;
  }
  const page = async (query: Record<string, string | number>): Promise<Page> => {
    const res = await list(query);
    assert.equal(res.status, 200, res.text.slice(0, 500));
    const { nextCursor, previousCursor } = res.body as Json;
    for (const c of [nextCursor, previousCursor]) {
      if (c !== undefined) assert.ok(c.length <= CURSOR_BOUND, `a cursor of ${c.length} characters`);
    }
    return { ids: (res.body.Resources as Json[]).map((r) => r.id), next: nextCursor, previous: previousCursor };
  };

  for (const sortOrder of ['ascending', 'descending'] as const) {
    for (const count of [1, 2]) {
      it(`${sortOrder}, count=${count}: forward and backward walks yield every user once, in order`, async () => {
        const expected = (await page({ sortOrder, count: TITLES.length })).ids;
        assert.deepEqual([...expected].sort(), [...ids].sort());
        const forward: Page[] = [await page({ sortOrder, count, cursor: '' })];
        while (forward[forward.length - 1].next !== undefined) {
          assert.ok(forward.length <= TITLES.length, 'nextCursor never ends');
          forward.push(await page({ sortOrder, count, cursor: forward[forward.length - 1].next! }));
        }
        assert.deepEqual(
          forward.flatMap((p) => p.ids),
          expected,
        );
        const backward: Page[] = [forward[forward.length - 1]];
        while (backward[backward.length - 1].previous !== undefined) {
          assert.ok(backward.length <= TITLES.length, 'previousCursor never ends');
          backward.push(await page({ sortOrder, count, cursor: backward[backward.length - 1].previous! }));
        }
        assert.deepEqual(
          backward.reverse().flatMap((p) => p.ids),
          expected,
        );
      });
    }
  }

  it('a cursor whose cut boundary row changed its sort value is 400 invalidCursor, not a misplaced page', async () => {
    const filter = 'title sw "TTT"';
    const first = await page({ filter, count: 1, cursor: '' });
    const boundary = first.ids[0];
    const res = await t
      .req('patch', `${BASE}/Users/${boundary}`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'title', value: `${PREFIX}changed` }],
      });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    expectScimError(await list({ filter, count: 1, cursor: first.next! }), 400, 'invalidCursor');
  });
});
