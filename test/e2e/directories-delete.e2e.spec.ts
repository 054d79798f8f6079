import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACME, acmeDefinition, schemasPath } from '../setup/extension-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, GROUP_SCHEMA, startTestApp, userBody, usingPostgres, type TestApp } from '../setup/test-app.js';

const count = async (t: TestApp, sql: string): Promise<number> => Number((await t.db.query(sql))[0].n);

/** Seeds users, a group with them as members and a token in a new directory; its ids. */
async function seeded(t: TestApp, slug: string, users: number) {
  const dir = await t.createDirectory(slug);
  const ids: string[] = [];
  for (let i = 0; i < users; i++) {
    const res = await t
      .req('post', `${dir.base}/Users`, dir.token)
      .send(userBody(`${slug}.${i}`, { emails: [{ value: `${slug}.${i}@example.com` }] }));
    assert.equal(res.status, 201, res.text);
    ids.push(res.body.id);
  }
  const group = await t
    .req('post', `${dir.base}/Groups`, dir.token)
    .send({ schemas: [GROUP_SCHEMA], displayName: `${slug}-g`, members: ids.map((value) => ({ value })) });
  assert.equal(group.status, 201, group.text);
  return { dir, ids: [...ids, group.body.id as string] };
}

async function assertPurged(t: TestApp, id: number, ids: string[]): Promise<void> {
  const list = ids.map((x) => `'${x}'`).join(', ');
  assert.equal(await count(t, `SELECT COUNT(*) AS n FROM users WHERE id IN (${list})`), 0);
  assert.equal(await count(t, `SELECT COUNT(*) AS n FROM groups WHERE id IN (${list})`), 0);
  assert.equal(
    await count(t, `SELECT COUNT(*) AS n FROM group_members WHERE group_id IN (${list}) OR member_id IN (${list})`),
    0,
  );
  assert.equal(await count(t, `SELECT COUNT(*) AS n FROM multi_values WHERE resource_id IN (${list})`), 0);
  assert.equal(await count(t, `SELECT COUNT(*) AS n FROM api_tokens WHERE directory_id = ${id}`), 0);
  assert.equal(await count(t, `SELECT COUNT(*) AS n FROM directories WHERE id = ${id}`), 0);
  for (const table of ['directory_schemas', 'directory_schema_state', 'extension_unique_values']) {
    assert.equal(await count(t, `SELECT COUNT(*) AS n FROM ${table} WHERE directory_id = ${id}`), 0, table);
  }
}

describe('Deleting a directory', () => {
  it('an empty directory is deleted (204); the default one never (409)', async () => {
    const t = await startTestApp();
    try {
      const dir = await t.createDirectory('empty-one');
      assert.equal((await t.req('delete', `/admin/directories/${dir.id}`)).status, 204);
      expectScimError(await t.req('get', `${dir.base}/Users`, dir.token), 401);
      await t.whenPurged();
      await assertPurged(t, dir.id, ['none']);
      expectScimError(await t.req('delete', '/admin/directories/1?purge=true'), 409);
      expectScimError(await t.req('delete', `/admin/directories/${dir.id}`), 404);
      expectScimError(await t.req('delete', `/admin/directories/${dir.id}?purge=yes`), 400, 'invalidValue');
      // Once purged, the slug can be taken again.
      assert.equal((await t.req('post', '/admin/directories').send({ slug: 'empty-one' })).status, 201);
    } finally {
      await t.close();
    }
  });

  it('a directory that holds resources is refused (409) without purge; with it 202, gone at once, rows deleted in the background', async () => {
    const t = await startTestApp();
    try {
      const { dir, ids } = await seeded(t, 'full-one', 3);
      // An extension with a server-unique attribute, and a value of it in the side table.
      assert.equal((await t.req('post', schemasPath(dir.id)).send(acmeDefinition())).status, 201);
      const badged = await t
        .req('post', `${dir.base}/Users`, dir.token)
        .send(userBody('full-one.badged', { [ACME]: { badge: 7 } }));
      assert.equal(badged.status, 201, badged.text);
      ids.push(badged.body.id as string);
      assert.equal(
        await count(t, `SELECT COUNT(*) AS n FROM extension_unique_values WHERE directory_id = ${dir.id}`),
        1,
      );
      const refused = await t.req('delete', `/admin/directories/${dir.id}`);
      expectScimError(refused, 409);
      assert.match(refused.body.detail, /purge=true/);
      assert.equal((await t.req('get', `${dir.base}/Users`, dir.token)).status, 200);
      const accepted = await t.req('delete', `/admin/directories/${dir.id}?purge=true`);
      assert.equal(accepted.status, 202);
      expectScimError(await t.req('get', `${dir.base}/Users`, dir.token), 401);
      expectScimError(await t.req('get', `/admin/directories/${dir.id}`), 404);
      const listed = await t.req('get', '/admin/directories');
      assert.ok(!listed.body.directories.some((d: { slug: string }) => d.slug === 'full-one'));
      await t.whenPurged();
      await assertPurged(t, dir.id, ids);
    } finally {
      await t.close();
    }
  });

  it('a restart resumes a purge left unfinished', async () => {
    const first = await startTestApp();
    const sqlitePath = first.sqlitePath;
    let dirId = 0;
    let ids: string[] = [];
    try {
      const seed = await seeded(first, 'crashed-one', 2);
      dirId = seed.dir.id;
      ids = seed.ids;
      // As if the server stopped right after accepting the delete.
      await first.db.query(`UPDATE directories SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id = ${dirId}`);
    } finally {
      await first.app.close();
    }
    const second = await startTestApp({ keepData: true, ...(usingPostgres() ? {} : { sqlitePath }) });
    try {
      await second.whenPurged();
      await assertPurged(second, dirId, ids);
      expectScimError(await second.req('get', `/directories/crashed-one${BASE}/Users`), 401);
    } finally {
      await second.close();
    }
  });
});
