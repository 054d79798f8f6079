import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { BASE, GROUP_SCHEMA, SCIM_JSON, userBody, type TestApp } from './test-app.js';
import { readFixtureText } from './fixtures.js';

/* Shared by the PATCH e2e specs (test/e2e/patch-*.e2e.spec.ts). */

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const UNKNOWN_ID = '00000000-0000-0000-0000-0000000000ab';

/** A JSON object as read off the wire; the assertions on it are what check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one alias for untyped response JSON in tests
export type Json = Record<string, any>;
export type Op = Record<string, unknown>;

/** One recorded IdP PatchOp body from test/fixtures/idp, with the recorded ids swapped for ours. */
export function idpBody(name: string, ids: Record<string, string> = {}): Json {
  let text = readFixtureText('idp', `${name}.json`);
  for (const [recorded, real] of Object.entries(ids)) {
    assert.ok(text.includes(recorded), `${name} mentions ${recorded}`);
    text = text.replaceAll(recorded, real);
  }
  return JSON.parse(text) as Json;
}

const bool = (v: unknown): boolean | null =>
  v === null || v === undefined ? null : typeof v === 'boolean' ? v : Number(v) === 1;
export const sorted = (ids: readonly string[]): string[] => [...ids].sort();

/** Shared helpers over one running app. */
export function patchHelpers(get: () => TestApp) {
  const t = (): TestApp => get();
  const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
    t()
      .req(method, `${BASE}${path}`)
      .set('Content-Type', SCIM_JSON)
      .send(body as object);
  const patch = (type: 'Users' | 'Groups', id: string, ops: Op[], query: Record<string, string> = {}) =>
    send('patch', `/${type}/${id}`, { schemas: [PATCH_OP], Operations: ops }).query(query);
  const createUser = async (userName: string, extra: Json = {}): Promise<Json> => {
    const res = await send('post', '/Users', userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return res.body as Json;
  };
  const createGroup = async (displayName: string, members: string[] = [], extra: Json = {}): Promise<Json> => {
    const res = await send('post', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName,
      members: members.map((value) => ({ value })),
      ...extra,
    });
    assert.equal(res.status, 201, res.text);
    return res.body as Json;
  };
  const userRow = async (
    id: string,
  ): Promise<{ version: number; lastModified: string; active: boolean | null; userName: string; doc: Json }> => {
    const rows = await t().db.query(
      `SELECT version, last_modified, active, user_name, doc FROM users WHERE id = '${id}'`,
    );
    assert.equal(rows.length, 1, `users row ${id}`);
    const [r] = rows;
    return {
      version: Number(r.version),
      lastModified: r.last_modified,
      active: bool(r.active),
      userName: r.user_name,
      doc: JSON.parse(r.doc),
    };
  };
  const userVersion = async (id: string): Promise<number> => (await userRow(id)).version;
  const userEtag = async (id: string): Promise<string> => {
    const res = await t().req('get', `${BASE}/Users/${id}`);
    assert.equal(res.status, 200);
    return String(res.headers['etag']);
  };
  const groupRow = async (
    id: string,
  ): Promise<{ version: number; lastModified: string; displayName: string; doc: Json }> => {
    const rows = await t().db.query(`SELECT version, last_modified, display_name, doc FROM groups WHERE id = '${id}'`);
    assert.equal(rows.length, 1, `groups row ${id}`);
    const [r] = rows;
    return {
      version: Number(r.version),
      lastModified: r.last_modified,
      displayName: r.display_name,
      doc: JSON.parse(r.doc),
    };
  };
  const memberRows = async (groupId: string): Promise<string[]> =>
    sorted(
      (await t().db.query(`SELECT member_id FROM group_members WHERE group_id = '${groupId}'`)).map((r: Json) =>
        String(r['member_id']),
      ),
    );
  const multiValues = async (id: string): Promise<Json[]> =>
    (
      await t().db.query(
        `SELECT attr, value_key, type_key, is_primary FROM multi_values WHERE resource_id = '${id}' ORDER BY attr, idx`,
      )
    ).map((r: Json) => ({
      attr: r['attr'],
      value: r['value_key'],
      type: r['type_key'],
      primary: bool(r['is_primary']),
    }));

  /**
   * A successful User PATCH: 200, ETag = meta.version, GET returns the same, and the stored
   * document, version, lastModified and derived columns agree with it.
   */
  const expectUserPatched = async (res: Response): Promise<Json> => {
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
    assert.equal(res.headers['etag'], res.body.meta.version);
    const got = await t().req('get', `${BASE}/Users/${res.body.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, res.body);
    assert.equal(got.headers['etag'], res.headers['etag']);
    const row = await userRow(res.body.id);
    const { id: _id, meta, groups: _groups, ...stored } = res.body as Json;
    assert.deepEqual(row.doc, stored);
    assert.equal(`W/"${row.version}"`, meta.version);
    assert.equal(row.lastModified, meta.lastModified);
    assert.equal(row.active, typeof res.body.active === 'boolean' ? res.body.active : null);
    assert.equal(row.userName, res.body.userName);
    return res.body as Json;
  };

  /** The user, as GET and the database show it, is exactly `before`. */
  const expectUserUnchanged = async (before: Json): Promise<void> => {
    const got = await t().req('get', `${BASE}/Users/${before.id}`);
    assert.deepEqual(got.body, before);
    const row = await userRow(before.id);
    assert.equal(`W/"${row.version}"`, before.meta.version);
    assert.equal(row.lastModified, before.meta.lastModified);
  };

  return {
    send,
    patch,
    createUser,
    createGroup,
    userRow,
    userVersion,
    userEtag,
    groupRow,
    memberRows,
    multiValues,
    expectUserPatched,
    expectUserUnchanged,
  };
}
