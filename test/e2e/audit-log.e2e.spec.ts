import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditFailures, MAX_PENDING_FAILURES } from '../../src/audit/audit-failures.service.js';
import { AuditRetention } from '../../src/audit/audit-retention.service.js';
import type { AuditEntry } from '../../src/audit/audit.types.js';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import { acmeDefinition, schemasPath } from '../setup/extension-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, GROUP_SCHEMA, SCIM_JSON, startTestApp, userBody, type TestApp } from '../setup/test-app.js';

type Row = Record<string, unknown>;

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const PASSWORD = 'Sup3r-Secret-Passw0rd!';
const DAY_MS = 86_400_000;

async function rowsOf(t: TestApp, sql: string, params: SqlParam[] = []): Promise<Row[]> {
  return t.db.query<Row[]>(...toDriverQuery(t.dialect, sql, params));
}

/** The rows of one request, by the X-Request-Id it was answered with. */
function auditOf(t: TestApp, requestId: unknown): Promise<Row[]> {
  return rowsOf(t, 'SELECT * FROM audit_log WHERE request_id = $1 ORDER BY id', [String(requestId)]);
}

/** Failure rows are written after the response: flush until the request's row is there. */
async function failureOf(t: TestApp, requestId: unknown): Promise<Row> {
  for (let i = 0; i < 100; i++) {
    await t.app.get(AuditFailures).flush();
    const [row] = await auditOf(t, requestId);
    if (row) return row;
    await sleep(5);
  }
  throw new Error(`no audit row for request ${String(requestId)}`);
}

async function insertOld(t: TestApp, ageDays: number, path: string): Promise<void> {
  await rowsOf(
    t,
    `INSERT INTO audit_log (directory_id, time, method, path, operation, status, outcome)
     VALUES (1, $1, 'POST', $2, 'create', 201, 'success')`,
    [new Date(Date.now() - ageDays * DAY_MS).toISOString(), path],
  );
}

describe('Provisioning log (audit)', () => {
  let t: TestApp;
  let tokenId: string;

  before(async () => {
    t = await startTestApp();
    const [token] = await rowsOf(t, "SELECT id FROM api_tokens WHERE name = 'test-all'");
    tokenId = String(token?.['id']);
  });
  after(() => t.close());

  const createUser = async (userName: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody(userName, extra));
    assert.equal(res.status, 201, res.text);
    return String(res.body.id);
  };

  it('writes a success row with who, where and what for a create, and never a password value', async () => {
    const res = await t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', SCIM_JSON)
      .set('User-Agent', 'audit-test/1.0')
      .send(userBody('audit-create', { password: PASSWORD }))
      .expect(201);
    const rows = await auditOf(t, res.headers['x-request-id']);
    assert.equal(rows.length, 1);
    const row = rows[0];
    assert.deepEqual(
      {
        directory: Number(row['directory_id']),
        token: row['token_id'],
        tokenName: row['token_name'],
        ip: row['client_ip'],
        agent: row['user_agent'],
        method: row['method'],
        path: row['path'],
        operation: row['operation'],
        type: row['resource_type'],
        id: row['resource_id'],
        name: row['resource_name'],
        status: Number(row['status']),
        outcome: row['outcome'],
      },
      {
        directory: 1,
        token: tokenId,
        tokenName: 'test-all',
        ip: '127.0.0.1',
        agent: 'audit-test/1.0',
        method: 'POST',
        path: `${BASE}/Users`,
        operation: 'create',
        type: 'User',
        id: res.body.id,
        name: 'audit-create',
        status: 201,
        outcome: 'success',
      },
    );
    assert.ok(!JSON.stringify(row).includes(PASSWORD));
  });

  it('names the attribute paths a PATCH changed (password by name only), and records a no-op PATCH too', async () => {
    const id = await createUser('audit-patch', { name: { givenName: 'Ann', familyName: 'Lee' } });
    const res = await t
      .req('patch', `${BASE}/Users/${id}`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'replace', path: 'name.givenName', value: 'Anne' },
          { op: 'add', path: 'title', value: 'Engineer' },
          { op: 'replace', path: 'password', value: PASSWORD },
        ],
      })
      .expect(200);
    const [row] = await auditOf(t, res.headers['x-request-id']);
    assert.equal(row?.['operation'], 'patch');
    assert.deepEqual(JSON.parse(String(row?.['changed_attributes'])).sort(), ['name.givenName', 'password', 'title']);
    assert.ok(!JSON.stringify(row).includes(PASSWORD));
    assert.ok(!JSON.stringify(row).includes('Anne'));
    const same = await t
      .req('patch', `${BASE}/Users/${id}`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'Engineer' }] })
      .expect(200);
    const [noop] = await auditOf(t, same.headers['x-request-id']);
    assert.equal(noop?.['changed_attributes'], '[]');
  });

  it('keeps the member delta of a group PATCH: counts and ids', async () => {
    const [a, b, c] = [await createUser('audit-m1'), await createUser('audit-m2'), await createUser('audit-m3')];
    const group = await t
      .req('post', `${BASE}/Groups`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [GROUP_SCHEMA], displayName: 'audit-group', members: [{ value: a }] })
      .expect(201);
    const [created] = await auditOf(t, group.headers['x-request-id']);
    assert.equal(created?.['resource_name'], 'audit-group');
    assert.equal(Number(created?.['members_added']), 1);
    const res = await t
      .req('patch', `${BASE}/Groups/${group.body.id}`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'add', path: 'members', value: [{ value: b }, { value: c }] },
          { op: 'remove', path: `members[value eq "${a}"]` },
        ],
      })
      .expect(200);
    const [row] = await auditOf(t, res.headers['x-request-id']);
    assert.equal(Number(row?.['members_added']), 2);
    assert.equal(Number(row?.['members_removed']), 1);
    const ids = JSON.parse(String(row?.['member_ids']));
    assert.deepEqual([ids.added.sort(), ids.removed], [[b, c].sort(), [a]]);
    assert.deepEqual(JSON.parse(String(row?.['changed_attributes'])), ['members']);
  });

  it('records token issue, rotate and revoke, and directory and schema changes in their directory', async () => {
    const issued = await t
      .req('post', '/admin/tokens')
      .send({ name: 'audit-token', scopes: ['scim'] })
      .expect(201);
    const rotated = await t.req('post', `/admin/tokens/${issued.body.token.id}/rotate`).send({}).expect(201);
    const revoked = await t.req('post', `/admin/tokens/${rotated.body.token.id}/revoke`).expect(200);
    const ops = async (res: { headers: Record<string, unknown> }): Promise<unknown[]> =>
      (await auditOf(t, res.headers['x-request-id'])).map((r) => [r['operation'], r['resource_name'], r['status']]);
    assert.deepEqual(await ops(issued), [['issue', 'audit-token', 201]]);
    assert.deepEqual(await ops(rotated), [
      ['rotate', 'audit-token', 201],
      ['revoke', 'audit-token', 201],
    ]);
    assert.deepEqual(await ops(revoked), [['revoke', 'audit-token', 200]]);

    const dir = await t.createDirectory('audit-dir');
    const renamed = await t.req('patch', `/admin/directories/${dir.id}`).send({ displayName: 'Audit' }).expect(200);
    const [rename] = await auditOf(t, renamed.headers['x-request-id']);
    assert.deepEqual(
      [Number(rename?.['directory_id']), rename?.['resource_type'], rename?.['changed_attributes']],
      [dir.id, 'Directory', '["displayName"]'],
    );
    const schema = await t.req('post', schemasPath(dir.id)).send(acmeDefinition()).expect(201);
    const [registered] = await auditOf(t, schema.headers['x-request-id']);
    assert.deepEqual(
      [Number(registered?.['directory_id']), registered?.['resource_type'], registered?.['operation']],
      [dir.id, 'Schema', 'create'],
    );
    const created = await rowsOf(
      t,
      "SELECT directory_id FROM audit_log WHERE resource_type = 'Directory' AND operation = 'create' AND resource_name = 'audit-dir'",
    );
    assert.deepEqual(
      created.map((r) => Number(r['directory_id'])),
      [dir.id],
    );
  });

  it('records a failed create with its status, scimType and the name that was sent', async () => {
    await createUser('alice');
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody('alice'));
    expectScimError(res, 409, 'uniqueness');
    const row = await failureOf(t, res.headers['x-request-id']);
    assert.deepEqual(
      [row['outcome'], Number(row['status']), row['scim_type'], row['resource_name'], row['operation']],
      ['failure', 409, 'uniqueness', 'alice', 'create'],
    );
    assert.deepEqual([row['resource_type'], Number(row['directory_id']), row['token_id']], ['User', 1, tokenId]);
    const bad = await t
      .req('patch', `${BASE}/Users/${await createUser('audit-bad')}`)
      .set('Content-Type', SCIM_JSON)
      .send({ schemas: [PATCH_SCHEMA], Operations: [{ op: 'frobnicate', path: 'title', value: 'x' }] });
    assert.equal(bad.status, 400);
    const failed = await failureOf(t, bad.headers['x-request-id']);
    assert.deepEqual([Number(failed['status']), failed['operation']], [400, 'patch']);
    assert.equal(failed['scim_type'], bad.body.scimType ?? null);
  });

  it('logs each Bulk operation as its single call: success rows in their transactions, failure rows after', async () => {
    await createUser('bulk-taken');
    const res = await t
      .req('post', `${BASE}/Bulk`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: userBody('bulk-new') },
          { method: 'POST', path: '/Users', bulkId: 'b', data: userBody('bulk-taken') },
        ],
      });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.Operations.map((o: { status: string }) => o.status),
      ['201', '409'],
    );
    // Written with the request, not through the shared failure queue: no flush needed.
    const rows = await auditOf(t, res.headers['x-request-id']);
    const seen = rows.map((r) => [r['outcome'], r['method'], r['path'], Number(r['status']), r['resource_name']]);
    assert.deepEqual(seen, [
      ['success', 'POST', `${BASE}/Users`, 201, 'bulk-new'],
      ['failure', 'POST', `${BASE}/Users`, 409, 'bulk-taken'],
    ]);
    assert.equal(rows[1]?.['scim_type'], 'uniqueness');
  });

  it('aggregates failed authentication per client address and minute', async () => {
    const before = await rowsOf(t, "SELECT id FROM audit_log WHERE operation = 'authenticate'");
    assert.equal(before.length, 0);
    for (let i = 0; i < 12; i++) expectScimError(await t.req('get', `${BASE}/Users`, `bad-token-${i}`), 401);
    let rows: Row[] = [];
    for (let i = 0; i < 100; i++) {
      await t.app.get(AuditFailures).flush();
      rows = await rowsOf(t, "SELECT * FROM audit_log WHERE operation = 'authenticate'");
      if (rows.reduce((n, r) => n + Number(r['occurrences']), 0) >= 12) break;
      await sleep(5);
    }
    // One row per minute: twelve requests span at most two minutes.
    assert.ok(rows.length >= 1 && rows.length <= 2, `${rows.length} rows`);
    assert.equal(
      rows.reduce((n, r) => n + Number(r['occurrences']), 0),
      12,
    );
    assert.deepEqual(
      [rows[0]?.['outcome'], Number(rows[0]?.['status']), rows[0]?.['directory_id']],
      ['failure', 401, null],
    );
  });

  it('filters /admin/audit and pages it newest first with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) await createUser(`audit-page-${i}`);
    const expected = (
      await rowsOf(
        t,
        "SELECT id FROM audit_log WHERE resource_type = 'User' AND operation = 'create' AND outcome = 'success' ORDER BY id DESC",
      )
    ).map((r) => String(r['id']));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await t
        .req(
          'get',
          `/admin/audit?resourceType=User&operation=create&outcome=success&count=2${cursor ? `&cursor=${cursor}` : ''}`,
        )
        .expect(200);
      assert.ok(res.body.entries.length <= 2);
      for (const e of res.body.entries) {
        assert.deepEqual([e.resourceType, e.operation, e.outcome], ['User', 'create', 'success']);
        seen.push(e.id);
      }
      cursor = res.body.next;
      if (cursor !== undefined) assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    } while (cursor !== undefined);
    assert.deepEqual(seen, expected);
    const one = await t.req(
      'get',
      `/admin/audit?resourceId=${encodeURIComponent(String(await createUser('audit-one')))}`,
    );
    assert.deepEqual(
      one.body.entries.map((e: Row) => [e['operation'], e['tokenId'], typeof e['time']]),
      [['create', tokenId, 'string']],
    );
    const since = new Date(Date.now() + DAY_MS).toISOString();
    assert.deepEqual((await t.req('get', `/admin/audit?since=${since}`).expect(200)).body.entries, []);
    assert.ok(
      (await t.req('get', `/admin/audit?tokenId=${tokenId}&until=${since}`).expect(200)).body.entries.length > 0,
    );
    for (const query of [
      'count=0',
      'count=501',
      'outcome=maybe',
      'operation=drop',
      'since=yesterday',
      'cursor=%21%21',
      'cursor=abc',
    ]) {
      expectScimError(await t.req('get', `/admin/audit?${query}`), 400, 'invalidValue');
    }
  });

  it('serves a directory-bound admin its own directory only', async () => {
    const dir = await t.createDirectory('audit-bound');
    const admin = await t
      .req('post', `/admin/directories/${dir.id}/tokens`)
      .send({ name: 'bound-admin', scopes: ['admin'] })
      .expect(201);
    const secret = String(admin.body.secret);
    await t
      .req('post', `${dir.base}/Users`, dir.token)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('bound-u'))
      .expect(201);
    expectScimError(await t.req('get', '/admin/audit', secret), 403);
    expectScimError(await t.req('get', '/admin/directories/1/audit', secret), 403);
    const own = await t.req('get', `/admin/directories/${dir.id}/audit`, secret).expect(200);
    assert.ok(own.body.entries.length >= 3);
    assert.ok(own.body.entries.every((e: Row) => e['directoryId'] === dir.id));
    assert.ok(own.body.entries.some((e: Row) => e['resourceName'] === 'bound-u' && e['path'] === `${dir.base}/Users`));
  });

  it("keeps a purged directory's rows, readable by its id", async () => {
    const dir = await t.createDirectory('audit-purged');
    await t
      .req('post', `${dir.base}/Users`, dir.token)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('gone'))
      .expect(201);
    await t.req('delete', `/admin/directories/${dir.id}?purge=true`).expect(202);
    await t.whenPurged();
    const log = await t.req('get', `/admin/directories/${dir.id}/audit`).expect(200);
    assert.deepEqual(
      log.body.entries.map((e: Row) => [e['resourceType'], e['operation'], e['status']]),
      [
        ['Directory', 'delete', 202],
        ['User', 'create', 201],
        ['Token', 'issue', 201],
        ['Directory', 'create', 201],
      ],
    );
  });

  it('prunes rows older than AUDIT_RETENTION_DAYS and keeps the rest', async () => {
    await insertOld(t, 91, '/old');
    await insertOld(t, 89, '/recent');
    assert.ok((await t.app.get(AuditRetention).pruneNow()) >= 1);
    const left = await rowsOf(t, "SELECT path FROM audit_log WHERE path IN ('/old', '/recent')");
    assert.deepEqual(
      left.map((r) => r['path']),
      ['/recent'],
    );
  });

  it('bounds the queue of failure rows: beyond it rows are dropped, not queued', async () => {
    const failures = t.app.get(AuditFailures);
    await failures.flush();
    const entry: AuditEntry = {
      directoryId: 1,
      time: new Date().toISOString(),
      tokenId: null,
      tokenName: null,
      requestId: 'flood',
      clientIp: '127.0.0.1',
      userAgent: null,
      method: 'POST',
      path: `${BASE}/Users`,
      operation: 'create',
      resourceType: 'User',
      resourceId: null,
      resourceName: null,
      status: 400,
      outcome: 'failure',
      scimType: 'invalidValue',
      detail: null,
      changedAttributes: null,
      members: null,
    };
    for (let i = 0; i < MAX_PENDING_FAILURES + 5; i++) failures.add(entry);
    await failures.flush();
    const [count] = await rowsOf(t, "SELECT COUNT(*) AS n FROM audit_log WHERE request_id = 'flood'");
    assert.equal(Number(count?.['n']), MAX_PENDING_FAILURES);
  });

  it('rolls the change back when its audit row cannot be written', async () => {
    await t.db.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    let status: number;
    try {
      status = (await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody('audit-rollback')))
        .status;
    } finally {
      await t.app.get(AuditFailures).flush();
      await t.db.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    assert.equal(status, 500);
    assert.deepEqual(await rowsOf(t, "SELECT id FROM users WHERE user_name = 'audit-rollback'"), []);
  });
});

describe('Provisioning log switched off, background pruning, and the suite-wide check', () => {
  it('AUDIT_LOG=off writes no row; the pruner runs on its interval', async () => {
    const t = await startTestApp({
      env: { AUDIT_LOG: 'off', AUDIT_RETENTION_DAYS: '1', AUDIT_PRUNE_INTERVAL_MS: '20' },
    });
    try {
      await insertOld(t, 2, '/expired');
      await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody('off-user')).expect(201);
      expectScimError(await t.req('get', `${BASE}/Users`, 'bad'), 401);
      for (let i = 0; i < 200 && (await rowsOf(t, 'SELECT id FROM audit_log')).length > 0; i++) await sleep(10);
      await t.app.get(AuditFailures).flush();
      assert.deepEqual(await rowsOf(t, 'SELECT id FROM audit_log'), []);
    } finally {
      await t.close();
    }
  });

  it('close() fails, naming the request, when a 2xx mutation has no success row', async () => {
    const t = await startTestApp();
    const res = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody('unaudited'));
    await t.db.query('DELETE FROM audit_log');
    await assert.rejects(t.close(), (error: Error) => {
      assert.match(error.message, /1 mutating request\(s\) answered 2xx have no success audit row/);
      assert.ok(error.message.includes(`${String(res.headers['x-request-id'])} POST ${BASE}/Users 201`));
      return true;
    });
  });
});
