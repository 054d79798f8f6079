import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import type { Json } from './patch-helpers.js';
import { expectScimError } from './scim-assertions.js';
import { BASE, SCIM_JSON, type TestApp } from './test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/**
 * What the contract needs to know of a resource type: where it lives, how to make a valid
 * resource, and one string attribute (`key`) that is filterable, sortable and settable by
 * PUT and PATCH. Every resource type the server registers runs the same contract.
 */
export interface ResourceContractSpec {
  /** The resource type name (meta.resourceType, /ResourceTypes id). */
  readonly type: string;
  /** e.g. `/Users` */
  readonly endpoint: string;
  /** The core schema URN. */
  readonly schema: string;
  /** The table its rows live in, to assert database state. */
  readonly table: string;
  /** Starts the app the contract runs against. */
  start(): Promise<TestApp>;
  /** A valid resource whose `key` attribute is `key`. */
  body(key: string): Json;
  /** A top-level string attribute of the core schema, filterable and sortable. */
  readonly key: string;
  /** Another attribute PATCH replaces, and a value for it. */
  readonly patch: { readonly path: string; readonly value: unknown };
}

/** CRUD, filter, sort, cursor, projection, PATCH and ETags (RFC 7644 §3.3-§3.6, §3.14; RFC 9865) for one type. */
export function runResourceContract(spec: ResourceContractSpec): void {
  describe(`resource contract: ${spec.type} at ${spec.endpoint}`, () => {
    let t: TestApp;
    const prefix = `contract-${spec.type.toLowerCase()}-`;
    const keys = ['delta', 'alpha', 'echo', 'charlie', 'bravo'].map((k) => `${prefix}${k}`);
    const ids = new Map<string, string>();

    before(async () => {
      t = await spec.start();
      for (const key of keys) {
        const res = await send('post', spec.endpoint, spec.body(key));
        assert.equal(res.status, 201, res.text);
        ids.set(key, res.body.id);
      }
    });
    after(async () => {
      await t?.close();
    });

    const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
      t
        .req(method, `${BASE}${path}`)
        .set('Content-Type', SCIM_JSON)
        .send(body as object);
    const get = (path: string) => t.req('get', `${BASE}${path}`);
    const list = (query: Record<string, string | number>) => get(spec.endpoint).query(query);
    const rowCount = async (id: string): Promise<number> => {
      const placeholder = t.dialect === 'postgres' ? '$1' : '?';
      const rows: { n: number | string }[] = await t.db.query(
        `SELECT COUNT(*) AS n FROM ${spec.table} WHERE id = ${placeholder}`,
        [id],
      );
      return Number(rows[0]?.n);
    };
    const keysOf = (res: Response): string[] => (res.body.Resources as Json[]).map((r) => r[spec.key]);

    it('POST creates: 201, Location = meta.location, ETag = meta.version, a row in the database', async () => {
      const res = await send('post', spec.endpoint, spec.body(`${prefix}created`));
      assert.equal(res.status, 201, res.text);
      assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
      assert.equal(res.body[spec.key], `${prefix}created`);
      assert.ok(res.body.schemas.includes(spec.schema));
      assert.equal(res.body.meta.resourceType, spec.type);
      assert.equal(res.headers['location'], res.body.meta.location);
      assert.ok(String(res.body.meta.location).endsWith(`${spec.endpoint}/${res.body.id}`));
      assert.equal(res.headers['etag'], res.body.meta.version);
      assert.equal(await rowCount(res.body.id), 1);
    });

    it('GET by id returns the stored resource; an unknown id is 404 with a SCIM error body', async () => {
      const id = ids.get(keys[0])!;
      const res = await get(`${spec.endpoint}/${id}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.id, id);
      assert.equal(res.body[spec.key], keys[0]);
      expectScimError(await get(`${spec.endpoint}/00000000-0000-4000-8000-000000000000`), 404);
    });

    it('PUT replaces, moves the version, and refuses a stale If-Match with 412', async () => {
      const created = await send('post', spec.endpoint, spec.body(`${prefix}put-before`));
      assert.equal(created.status, 201, created.text);
      const path = `${spec.endpoint}/${created.body.id}`;
      const replaced = await send('put', path, spec.body(`${prefix}put-after`)).set(
        'If-Match',
        created.body.meta.version,
      );
      assert.equal(replaced.status, 200, replaced.text);
      assert.equal(replaced.body[spec.key], `${prefix}put-after`);
      assert.notEqual(replaced.body.meta.version, created.body.meta.version);
      expectScimError(
        await send('put', path, spec.body(`${prefix}put-stale`)).set('If-Match', created.body.meta.version),
        412,
      );
      assert.equal((await get(path)).body[spec.key], `${prefix}put-after`);
    });

    it('PATCH replace changes the attribute and the version; a no-op PATCH keeps the version', async () => {
      const created = await send('post', spec.endpoint, spec.body(`${prefix}patch`));
      const path = `${spec.endpoint}/${created.body.id}`;
      const ops = [{ op: 'replace', path: spec.patch.path, value: spec.patch.value }];
      const patched = await send('patch', path, { schemas: [PATCH_OP], Operations: ops });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body[spec.patch.path], spec.patch.value);
      assert.notEqual(patched.body.meta.version, created.body.meta.version);
      const again = await send('patch', path, { schemas: [PATCH_OP], Operations: ops });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.meta.version, patched.body.meta.version);
      assert.deepEqual((await get(path)).body[spec.patch.path], spec.patch.value);
    });

    it('DELETE answers 204, the row is gone, and the resource is 404 afterwards', async () => {
      const created = await send('post', spec.endpoint, spec.body(`${prefix}deleted`));
      const path = `${spec.endpoint}/${created.body.id}`;
      const res = await t.req('delete', `${BASE}${path}`);
      assert.equal(res.status, 204, res.text);
      assert.equal(await rowCount(created.body.id), 0);
      expectScimError(await get(path), 404);
      expectScimError(await t.req('delete', `${BASE}${path}`), 404);
    });

    it('filters by eq and sw on the key attribute, in a ListResponse', async () => {
      const eq = await list({ filter: `${spec.key} eq "${keys[1]}"` });
      assert.equal(eq.status, 200, eq.text);
      assert.deepEqual(eq.body.schemas, [LIST_RESPONSE]);
      assert.equal(eq.body.totalResults, 1);
      assert.deepEqual(keysOf(eq), [keys[1]]);
      assert.equal(eq.body.Resources[0].id, ids.get(keys[1]));
      const sw = await list({ filter: `${spec.key} sw "${prefix}"`, count: 100 });
      assert.equal(sw.status, 200, sw.text);
      assert.ok(keys.every((k) => keysOf(sw).includes(k)));
      expectScimError(await list({ filter: `${spec.key} eq` }), 400, 'invalidFilter');
    });

    it('sorts by the key attribute both ways', async () => {
      const filter = keys.map((k) => `${spec.key} eq "${k}"`).join(' or ');
      const asc = await list({ filter, sortBy: spec.key, sortOrder: 'ascending' });
      assert.equal(asc.status, 200, asc.text);
      assert.deepEqual(keysOf(asc), [...keys].sort());
      const desc = await list({ filter, sortBy: spec.key, sortOrder: 'descending' });
      assert.deepEqual(keysOf(desc), [...keys].sort().reverse());
    });

    it('walks every resource once with cursors (RFC 9865), forwards and back', async () => {
      const filter = keys.map((k) => `${spec.key} eq "${k}"`).join(' or ');
      const seen: string[] = [];
      const cursors: string[] = [''];
      let cursor: string | undefined = '';
      while (cursor !== undefined) {
        const res = await list({ filter, sortBy: spec.key, cursor, count: 2 });
        assert.equal(res.status, 200, res.text);
        seen.push(...keysOf(res));
        cursor = res.body.nextCursor;
        if (cursor !== undefined) cursors.push(cursor);
        assert.ok(cursors.length < 10, 'nextCursor never ends');
      }
      assert.deepEqual(seen, [...keys].sort());
      const last = await list({ filter, sortBy: spec.key, cursor: cursors.at(-1)!, count: 2 });
      const back = await list({ filter, sortBy: spec.key, cursor: last.body.previousCursor, count: 2 });
      assert.equal(back.status, 200, back.text);
      assert.deepEqual(keysOf(back), [...keys].sort().slice(2, 4));
    });

    it('projects with attributes and excludedAttributes (RFC 7644 §3.9)', async () => {
      const id = ids.get(keys[2])!;
      const only = await get(`${spec.endpoint}/${id}`).query({ attributes: spec.key });
      assert.equal(only.status, 200, only.text);
      assert.deepEqual(Object.keys(only.body).sort(), ['id', 'schemas', spec.key].sort());
      const without = await get(`${spec.endpoint}/${id}`).query({ excludedAttributes: spec.key });
      assert.equal(without.status, 200, without.text);
      assert.equal(without.body[spec.key], undefined);
      assert.equal(without.body.id, id);
      const listed = await list({ filter: `${spec.key} eq "${keys[2]}"`, attributes: spec.key });
      assert.deepEqual(Object.keys(listed.body.Resources[0]).sort(), ['id', 'schemas', spec.key].sort());
    });

    it('answers If-None-Match with the current version with 304, and a changed one with 200', async () => {
      const id = ids.get(keys[3])!;
      const current = await get(`${spec.endpoint}/${id}`);
      const unchanged = await get(`${spec.endpoint}/${id}`).set('If-None-Match', current.body.meta.version);
      assert.equal(unchanged.status, 304);
      assert.equal(unchanged.text, '');
      const other = await get(`${spec.endpoint}/${id}`).set('If-None-Match', 'W/"999999"');
      assert.equal(other.status, 200);
    });

    it('is listed in /ResourceTypes with its endpoint and schema, and its schema in /Schemas', async () => {
      const types = await get('/ResourceTypes');
      assert.equal(types.status, 200, types.text);
      const found = (types.body.Resources as Json[]).find((r) => r.id === spec.type);
      assert.ok(found, `${spec.type} is not in /ResourceTypes`);
      assert.equal(found.endpoint, spec.endpoint);
      assert.equal(found.schema, spec.schema);
      const schema = await get(`/Schemas/${spec.schema}`);
      assert.equal(schema.status, 200, schema.text);
      assert.equal(schema.body.id, spec.schema);
    });
  });
}
