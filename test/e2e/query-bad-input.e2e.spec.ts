import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectList, queryHelpers, SEARCH_REQUEST, sorted } from '../setup/query-seed.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ENTERPRISE, startTestApp, type TestApp } from '../setup/test-app.js';

/* Bad query input is 400, never 500; discovery advertises the query features. Over the data of test/fixtures/query/users.seed.json. */

describe('Query: sorting, paging, cursors, projection, /.search', () => {
  let t: TestApp;
  const { seedData, keysOf, users, search } = queryHelpers(() => t);

  before(async () => {
    t = await startTestApp();
    await seedData();
  });
  after(async () => {
    await t?.close();
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
      expectScimError(
        await search('/Users', { schemas: [SEARCH_REQUEST], filter: tooManyTerms }),
        400,
        'invalidFilter',
      );
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
