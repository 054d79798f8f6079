import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ACTIVE_BY_USERNAME,
  DEPARTMENT,
  expectList,
  expectScimErrorOneOf,
  GROUP_KEYS,
  queryHelpers,
  SEARCH_REQUEST,
  sorted,
  USER_KEYS,
  WITHOUT_EMAILS,
} from '../setup/query-seed.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ENTERPRISE, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/* Projection (RFC 7644 §3.4.2.5, §3.9), POST /.search (§3.4.3) and reading only what the projection needs, over the data of test/fixtures/query/users.seed.json. */

describe('Query: sorting, paging, cursors, projection, /.search', () => {
  let t: TestApp;
  const { seedData, id, keyOf, keysOf, users, search, fullList } = queryHelpers(() => t);

  before(async () => {
    t = await startTestApp();
    await seedData();
  });
  after(async () => {
    await t?.close();
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
        const expected = WITHOUT_EMAILS.includes(keyOf(r))
          ? ['id', 'schemas', 'userName']
          : ['emails', 'id', 'schemas', 'userName'];
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
        u01: 'Engineering',
        u02: 'engineering',
        u03: null,
        u04: 'Sales',
        u05: null,
        u06: null,
        u07: null,
        u08: null,
        u09: null,
        u10: 'Research',
        u11: null,
        u12: null,
        u13: 'Engineering',
        u14: null,
        u15: 'Sales',
        u16: null,
      });
      for (const r of list) {
        assert.deepEqual(
          Object.keys(r)
            .filter((k) => k !== ENTERPRISE)
            .sort(),
          ['id', 'schemas'],
          keyOf(r),
        );
        if (r[ENTERPRISE] !== undefined) assert.deepEqual(Object.keys(r[ENTERPRISE]), ['department'], keyOf(r));
      }
    });

    it('attributes together with excludedAttributes is 400 invalidValue', async () => {
      expectScimError(await users({ attributes: 'userName', excludedAttributes: 'emails' }), 400, 'invalidValue');
      expectScimError(
        await t
          .req('get', `${BASE}/Users/${id('u01')}`)
          .query({ attributes: 'userName', excludedAttributes: 'emails' }),
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
        const post = await t
          .req('post', `${BASE}/Users`)
          .query({ attributes: 'userName' })
          .set('Content-Type', SCIM_JSON)
          .send(
            userBody('projected.post@example.com', {
              displayName: 'Projected',
              title: 'Temp',
              emails: [{ value: 'p@example.com' }],
            }),
          );
        assert.equal(post.status, 201, post.text);
        created.push(post.body.id);
        assert.deepEqual(Object.keys(post.body).sort(), ['id', 'schemas', 'userName']);
        assert.equal(post.headers['location'], `${t.url}${BASE}/Users/${post.body.id}`);

        const excluded = await t
          .req('post', `${BASE}/Users`)
          .query({ excludedAttributes: 'emails,meta' })
          .set('Content-Type', SCIM_JSON)
          .send(
            userBody('projected.excl@example.com', { displayName: 'Excluded', emails: [{ value: 'e@example.com' }] }),
          );
        assert.equal(excluded.status, 201, excluded.text);
        created.push(excluded.body.id);
        assert.equal(excluded.body.emails, undefined);
        assert.equal(excluded.body.meta, undefined);
        assert.equal(excluded.body.displayName, 'Excluded');

        const put = await t
          .req('put', `${BASE}/Users/${post.body.id}`)
          .query({ attributes: 'displayName' })
          .set('Content-Type', SCIM_JSON)
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
        schemas: [SEARCH_REQUEST],
        filter,
        attributes: ['userName', 'emails.value'],
        startIndex: 2,
        count: 3,
        sortBy: 'userName',
      });
      const page = expectList(post);
      // Matches: u01, u03, u08, u09, u10, u11, u13; by userName: alice, back\slash, backslash, bjensen, carol, first_last, émile.
      assert.equal(post.body.totalResults, 7);
      assert.equal(post.body.startIndex, 2);
      assert.deepEqual(keysOf(page), ['u08', 'u09', 'u01']);
      const get = await users({
        filter,
        attributes: 'userName,emails.value',
        startIndex: 2,
        count: 3,
        sortBy: 'userName',
      });
      assert.equal(get.status, 200, get.text);
      assert.deepEqual(post.body, get.body);

      const excluded = await search('/Users', {
        schemas: [SEARCH_REQUEST],
        filter: 'active eq true',
        excludedAttributes: ['emails', 'meta'],
        sortBy: 'userName',
        sortOrder: 'descending',
      });
      const excludedGet = await users({
        filter: 'active eq true',
        excludedAttributes: 'emails,meta',
        sortBy: 'userName',
        sortOrder: 'descending',
      });
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
        await search('/Users', {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          filter: 'userName pr',
        }),
        400,
        ['invalidValue', 'invalidSyntax'],
      );
      const array = await t.req('post', `${BASE}/Users/.search`).set('Content-Type', SCIM_JSON).send('[]');
      expectScimErrorOneOf(array, 400, ['invalidValue', 'invalidSyntax']);
      expectScimError(
        await search('/Users', { schemas: [SEARCH_REQUEST], filter: 'userName eq' }),
        400,
        'invalidFilter',
      );
    });

    it('POST /Groups/.search filters groups and honours excludedAttributes', async () => {
      const res = await search('/Groups', {
        schemas: [SEARCH_REQUEST],
        filter: `members.value eq "${id('u03')}"`,
        excludedAttributes: ['members'],
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
      assert.equal(found[0]['meta']['resourceType'], 'Group');
      assert.equal(byName.body.totalResults, 1);

      const groups = await search('', {
        schemas: [SEARCH_REQUEST],
        filter: 'meta.resourceType eq "Group"',
        count: 1000,
      });
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
        schemas: [SEARCH_REQUEST],
        filter: 'meta.resourceType eq "User" and title eq "engineer"',
        count: 1000,
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

  describe('reads only what the projection needs (RFC 7644 §3.9; Entra reads groups without members)', () => {
    const membersReads = (statements: readonly string[]) => statements.filter((s) => /group_members/i.test(s));

    it('GET /Groups/{id}?excludedAttributes=members runs no statement on group_members', async () => {
      const { result, statements } = await t.captureReads(() =>
        t.req('get', `${BASE}/Groups/${id('g2')}`).query({ excludedAttributes: 'members' }),
      );
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.members, undefined);
      assert.equal(result.body.displayName, 'Engineering Team');
      assert.ok(statements.length > 0, 'the group is read through the reader');
      assert.deepEqual(membersReads(statements), []);
    });

    it('GET /Groups?filter=displayName eq …&excludedAttributes=members runs no statement on group_members', async () => {
      const { result, statements } = await t.captureReads(() =>
        t
          .req('get', `${BASE}/Groups`)
          .query({ filter: 'displayName eq "Engineering Team"', excludedAttributes: 'members' }),
      );
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
});
