import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { patchHelpers, type Json, type Op } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, ENTERPRISE, GROUP_SCHEMA, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

/* Input limits (MAX_VALUES_PER_ATTRIBUTE, MAX_PATCH_OPERATIONS, MAX_STRING_BYTES, MAX_KEY_BYTES): 400, never 500. */

const emails = (count: number, prefix = 'e'): Json[] =>
  Array.from({ length: count }, (_, i) => ({ value: `${prefix}${i}@example.com`, type: 'work' }));

describe('Input limits on the default settings', () => {
  let t: TestApp;
  const h = patchHelpers(() => t);
  const count = async (sql: string): Promise<number> => Number((await t.db.query(sql))[0].n);
  const userCount = (): Promise<number> => count('SELECT COUNT(*) AS n FROM users');
  const expectLimit = (res: Response, setting: string, attribute?: string): void => {
    expectScimError(res, 400, 'invalidValue');
    assert.ok(res.body.detail.includes(setting), res.body.detail);
    if (attribute) assert.ok(res.body.detail.includes(`'${attribute}'`), res.body.detail);
  };

  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  describe('values per multi-valued attribute (MAX_VALUES_PER_ATTRIBUTE = 1000)', () => {
    it('POST with 5,500 emails is 400 naming the limit, and stores nothing', async () => {
      const users = await userCount();
      const res = await h.send('post', '/Users', userBody('many.post', { emails: emails(5500) }));
      expectLimit(res, 'MAX_VALUES_PER_ATTRIBUTE', 'emails');
      assert.ok(res.body.detail.includes('1000'), res.body.detail);
      assert.equal(await userCount(), users);
    });

    it('POST with exactly 1,000 emails is stored with its 1,000 index rows', async () => {
      const user = await h.createUser('many.exact', { emails: emails(1000) });
      assert.equal(user.emails.length, 1000);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM multi_values WHERE resource_id = '${user.id}'`), 1000);
    });

    it('PUT with 5,500 emails is 400 and leaves the user unchanged', async () => {
      const user = await h.createUser('many.put');
      const res = await h.send('put', `/Users/${user.id}`, userBody('many.put', { emails: emails(5500) }));
      expectLimit(res, 'MAX_VALUES_PER_ATTRIBUTE', 'emails');
      await h.expectUserUnchanged(user);
    });

    it('PATCH add of 5,500 emails is 400 and leaves the user unchanged', async () => {
      const user = await h.createUser('many.patch');
      const res = await h.patch('Users', user.id, [{ op: 'add', path: 'emails', value: emails(5500) }]);
      expectLimit(res, 'MAX_VALUES_PER_ATTRIBUTE', 'emails');
      await h.expectUserUnchanged(user);
    });

    it('PATCH add cannot grow an attribute past the limit over several requests', async () => {
      const user = await h.createUser('many.grow');
      const first = await h.expectUserPatched(
        await h.patch('Users', user.id, [{ op: 'add', path: 'emails', value: emails(600, 'a') }]),
      );
      assert.equal(first.emails.length, 600);
      const second = await h.patch('Users', user.id, [{ op: 'add', path: 'emails', value: emails(600, 'b') }]);
      expectLimit(second, 'MAX_VALUES_PER_ATTRIBUTE', 'emails');
      await h.expectUserUnchanged(first);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM multi_values WHERE resource_id = '${user.id}'`), 600);
    });

    it('one request may not bring more than 1,000 values to compare, however many operations carry them', async () => {
      const user = await h.createUser('many.ops', { emails: emails(500) });
      // Re-adding present values changes nothing, yet each costs a comparison with every stored one.
      const ops = Array.from({ length: 5 }, () => ({ op: 'add', path: 'emails', value: emails(300) }));
      const res = await h.patch('Users', user.id, ops);
      expectLimit(res, 'MAX_VALUES_PER_ATTRIBUTE', 'emails');
      assert.ok(res.body.detail.includes('per request'), res.body.detail);
      await h.expectUserUnchanged(user);
    });

    it('applies to every multi-valued attribute', async () => {
      const roles = Array.from({ length: 1001 }, (_, i) => ({ value: `role-${i}` }));
      expectLimit(
        await h.send('post', '/Users', userBody('many.roles', { roles })),
        'MAX_VALUES_PER_ATTRIBUTE',
        'roles',
      );
      const phones = Array.from({ length: 1001 }, (_, i) => ({ value: `+1555${i}` }));
      expectLimit(
        await h.send('post', '/Users', userBody('many.phones', { phoneNumbers: phones })),
        'MAX_VALUES_PER_ATTRIBUTE',
        'phoneNumbers',
      );
    });
  });

  describe('operations per PATCH (MAX_PATCH_OPERATIONS = 1000)', () => {
    const ops = (n: number): Op[] =>
      Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` }));

    it('1,001 operations are 400 naming the limit; nothing is applied', async () => {
      const user = await h.createUser('ops.over');
      const res = await h.patch('Users', user.id, ops(1001));
      expectLimit(res, 'MAX_PATCH_OPERATIONS');
      await h.expectUserUnchanged(user);
    });

    it('10,000 operations on a group are 400 as well', async () => {
      const group = await h.createGroup('ops.group');
      const many = Array.from({ length: 10000 }, (_, i) => ({ op: 'replace', path: 'displayName', value: `g${i}` }));
      expectLimit(await h.patch('Groups', group.id, many), 'MAX_PATCH_OPERATIONS');
      assert.equal((await h.groupRow(group.id)).displayName, 'ops.group');
    });

    it('1,000 operations are applied in order', async () => {
      const user = await h.createUser('ops.exact');
      const patched = await h.expectUserPatched(await h.patch('Users', user.id, ops(1000)));
      assert.equal(patched.title, 't999');
    });
  });

  describe('bytes per string (MAX_STRING_BYTES = 65536)', () => {
    const big = 'x'.repeat(70 * 1024);

    it('a 70 KiB title is 400 on POST, PUT and PATCH', async () => {
      expectLimit(await h.send('post', '/Users', userBody('str.post', { title: big })), 'MAX_STRING_BYTES', 'title');
      const user = await h.createUser('str.user');
      expectLimit(
        await h.send('put', `/Users/${user.id}`, userBody('str.user', { title: big })),
        'MAX_STRING_BYTES',
        'title',
      );
      expectLimit(
        await h.patch('Users', user.id, [{ op: 'replace', path: 'title', value: big }]),
        'MAX_STRING_BYTES',
        'title',
      );
      await h.expectUserUnchanged(user);
    });

    it('counts UTF-8 bytes, in sub-attributes, extensions and groups too', async () => {
      const wide = 'é'.repeat(33 * 1024); // 33 Ki characters, 66 KiB
      expectLimit(
        await h.send('post', '/Users', userBody('str.name', { name: { givenName: wide } })),
        'MAX_STRING_BYTES',
        'name.givenName',
      );
      expectLimit(
        await h.send('post', '/Users', userBody('str.ent', { [ENTERPRISE]: { department: big } })),
        'MAX_STRING_BYTES',
        `${ENTERPRISE}:department`,
      );
      expectLimit(
        await h.send('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g', externalId: big }),
        'MAX_STRING_BYTES',
        'externalId',
      );
    });

    it('a 60 KiB title that indexes nothing is stored', async () => {
      const user = await h.createUser('str.ok', { title: 'y'.repeat(60 * 1024) });
      assert.equal((await h.userRow(user.id)).doc.title.length, 60 * 1024);
    });
  });

  describe('indexed keys after NFKC and case folding (MAX_KEY_BYTES = 1024)', () => {
    // U+FDFA is 3 bytes and folds (NFKC) to 18 code points, 33 bytes; U+0390 is 2 bytes and folds to 6.
    const expanding = '\uFDFA'.repeat(40);
    const greek = '\u0390'.repeat(200);

    it('a userName whose key grows past the limit is 400, though the value itself is short', async () => {
      for (const userName of [expanding, greek]) {
        expectLimit(await h.send('post', '/Users', userBody(userName)), 'MAX_KEY_BYTES', 'userName');
      }
    });

    it("a plain 3,200-byte userName (past PostgreSQL's btree entry size, incompressible) is 400, not 500", async () => {
      const userName = randomBytes(2400).toString('base64').toLowerCase();
      expectLimit(await h.send('post', '/Users', userBody(userName)), 'MAX_KEY_BYTES', 'userName');
      expectLimit(
        await h.send('post', '/Users', userBody('key.long', { emails: [{ value: userName }] })),
        'MAX_KEY_BYTES',
        'emails.value',
      );
    });

    it('covers displayName, externalId, multi-valued keys and group displayName, on every write', async () => {
      expectLimit(
        await h.send('post', '/Users', userBody('key.dn', { displayName: expanding })),
        'MAX_KEY_BYTES',
        'displayName',
      );
      expectLimit(
        await h.send('post', '/Users', userBody('key.ext', { externalId: 'e'.repeat(1025) })),
        'MAX_KEY_BYTES',
        'externalId',
      );
      expectLimit(
        await h.send('post', '/Users', userBody('key.mail', { emails: [{ value: `${greek}@x` }] })),
        'MAX_KEY_BYTES',
        'emails.value',
      );
      expectLimit(
        await h.send('post', '/Users', userBody('key.type', { emails: [{ value: 'a@x', type: expanding }] })),
        'MAX_KEY_BYTES',
        'emails.type',
      );
      expectLimit(
        await h.send('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: expanding }),
        'MAX_KEY_BYTES',
        'displayName',
      );
      const user = await h.createUser('key.patch');
      expectLimit(
        await h.patch('Users', user.id, [{ op: 'replace', path: 'userName', value: greek }]),
        'MAX_KEY_BYTES',
        'userName',
      );
      await h.expectUserUnchanged(user);
      const group = await h.createGroup('key.group');
      expectLimit(
        await h.patch('Groups', group.id, [{ op: 'replace', path: 'displayName', value: greek }]),
        'MAX_KEY_BYTES',
        'displayName',
      );
      assert.equal((await h.groupRow(group.id)).displayName, 'key.group');
    });

    it('a key of exactly 1,024 bytes is stored and found', async () => {
      const userName = 'K'.repeat(1024);
      const user = await h.createUser(userName);
      const found = await t.req('get', `${BASE}/Users`).query({ filter: `userName eq "${'k'.repeat(1024)}"` });
      assert.equal(found.status, 200, found.text);
      assert.deepEqual(
        found.body.Resources.map((r: Json) => r.id),
        [user.id],
      );
    });
  });

  describe('NUL (U+0000) in a stored string (PostgreSQL text cannot hold it)', () => {
    const cases: [string, Json, string][] = [
      ['userName', userBody('nul\u0000name'), 'userName'],
      ['displayName', userBody('nul.dn', { displayName: 'a\u0000b' }), 'displayName'],
      ['emails.value', userBody('nul.mail', { emails: [{ value: 'a\u0000@x' }] }), 'emails.value'],
      ['an unindexed title', userBody('nul.title', { title: '\u0000' }), 'title'],
      [
        'an extension attribute',
        userBody('nul.ent', { [ENTERPRISE]: { department: 'd\u0000' } }),
        `${ENTERPRISE}:department`,
      ],
      [
        'manager as a bare id',
        userBody('nul.mgr', { [ENTERPRISE]: { manager: 'm\u0000' } }),
        `${ENTERPRISE}:manager.value`,
      ],
    ];
    for (const [label, body, attribute] of cases) {
      it(`POST /Users with NUL in ${label} is 400 naming it, and stores nothing`, async () => {
        const users = await userCount();
        expectLimit(await h.send('post', '/Users', body), 'NUL', attribute);
        assert.equal(await userCount(), users);
      });
    }

    it('PATCH and PUT with a NUL are 400 and leave the user unchanged; groups too', async () => {
      const user = await h.createUser('nul.patch');
      expectLimit(
        await h.patch('Users', user.id, [{ op: 'replace', path: 'nickName', value: 'n\u0000' }]),
        'NUL',
        'nickName',
      );
      expectLimit(await h.send('put', `/Users/${user.id}`, userBody('nul.patch', { title: '\u0000' })), 'NUL', 'title');
      await h.expectUserUnchanged(user);
      expectLimit(
        await h.send('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g\u0000' }),
        'NUL',
        'displayName',
      );
      const group = await h.createGroup('nul.group');
      expectLimit(
        await h.patch('Groups', group.id, [{ op: 'replace', path: 'displayName', value: '\u0000' }]),
        'NUL',
        'displayName',
      );
      assert.equal((await h.groupRow(group.id)).displayName, 'nul.group');
    });

    it("a member id with a NUL is 400 in POST, PATCH add and Entra's remove with a value list", async () => {
      const group = await h.createGroup('nul.members');
      const members = [{ value: 'm\u0000' }];
      expectLimit(
        await h.send('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g', members }),
        'NUL',
        'members.value',
      );
      expectLimit(
        await h.patch('Groups', group.id, [{ op: 'add', path: 'members', value: members }]),
        'NUL',
        'members.value',
      );
      expectLimit(
        await h.patch('Groups', group.id, [{ op: 'Remove', path: 'members', value: members }]),
        'NUL',
        'members.value',
      );
      assert.deepEqual(await h.memberRows(group.id), []);
    });
  });
});

describe('Input limits follow their settings', () => {
  let t: TestApp;
  const h = patchHelpers(() => t);
  before(async () => {
    t = await startTestApp({
      env: { MAX_VALUES_PER_ATTRIBUTE: '3', MAX_PATCH_OPERATIONS: '2', MAX_STRING_BYTES: '300', MAX_KEY_BYTES: '100' },
    });
  });
  after(async () => {
    await t.close();
  });

  it('reads MAX_VALUES_PER_ATTRIBUTE, MAX_PATCH_OPERATIONS, MAX_STRING_BYTES and MAX_KEY_BYTES', async () => {
    const over = (res: Response, text: string): void => {
      expectScimError(res, 400, 'invalidValue');
      assert.ok(res.body.detail.includes(text), res.body.detail);
    };
    over(await h.send('post', '/Users', userBody('c', { emails: emails(4) })), 'limit is 3 per attribute');
    over(await h.send('post', '/Users', userBody('c', { title: 't'.repeat(301) })), 'limit is 300 bytes');
    over(await h.send('post', '/Users', userBody('c'.repeat(101))), 'limit is 100 bytes');
    const user = await h.createUser('c', { emails: emails(3), title: 't'.repeat(300) });
    const ops: Op[] = [{ op: 'replace', path: 'title', value: 'a' }];
    over(await h.patch('Users', user.id, [...ops, ...ops, ...ops]), 'limit is 2 per request');
    await h.expectUserPatched(await h.patch('Users', user.id, [...ops, ...ops]));
  });
});
