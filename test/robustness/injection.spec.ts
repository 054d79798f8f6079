import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedPool, type FuzzPool } from '../setup/fuzz-pool.js';
import { json, send, type FuzzRequest } from '../setup/fuzz-runner.js';
import { percentEncode } from '../setup/raw-request.js';
import { describeExchange, responseViolation, snapshotTables } from '../setup/robustness-checks.js';
import { INJECTION_PAYLOADS, PATCH_OP, SEARCH_REQUEST } from '../setup/scim-arbitraries.js';
import { BASE, GROUP_SCHEMA, startTestApp, USER_SCHEMA, type TestApp } from '../setup/test-app.js';

/**
 * Payloads that hit a fault of issue 7 not yet fixed on this branch, by dialect; they
 * stay listed in INJECTION_PAYLOADS and are left out until the fault lands (empty this
 * list then; FUZZ_KNOWN_FAULTS=1 runs them anyway).
 */
const KNOWN_FAULT_PAYLOADS: {
  test: (payload: string) => boolean;
  dialect: 'sqlite' | 'postgres';
  fault: number;
  note: string;
}[] = [];

/** RFC 9110 §5.5: a field value with a control character is not HTTP; such payloads are not sent as headers. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
const CONTROL = /[\u0000-\u001f\u007f]/;
const headerSafe = (p: string): boolean => !CONTROL.test(p);

/** Every read-only or invalid request a payload can ride in: filter values and paths, parameters, ids, headers. */
function readOnlyRequests(p: string, pool: FuzzPool): FuzzRequest[] {
  const quoted = JSON.stringify(p);
  const user = pool.users[0];
  const filters = [
    ...['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'le'].map((op) => `userName ${op} ${quoted}`),
    `externalId eq ${p}`,
    `displayName co ${quoted} or title eq ${quoted}`,
    `emails[value co ${quoted} and type eq "work"]`,
    `emails.value eq ${quoted}`,
    `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq ${quoted}`,
    `meta.created gt ${quoted}`,
    `groups.value eq ${quoted}`,
    `${p} eq "x"`,
    `emails.${p} eq "x"`,
    `${p}[value eq "x"]`,
    p,
  ];
  const groupFilters = [`displayName eq ${quoted}`, `members[value eq ${quoted}]`, `members.display co ${quoted}`];
  const params = ['sortBy', 'sortOrder', 'attributes', 'excludedAttributes', 'startIndex', 'count', 'cursor'];
  const requests: FuzzRequest[] = [
    ...filters.map((f) => ({ method: 'GET', path: `${BASE}/Users?filter=${percentEncode(f)}` })),
    ...groupFilters.map((f) => ({ method: 'GET', path: `${BASE}/Groups?filter=${percentEncode(f)}` })),
    ...params.map((k) => ({
      method: 'GET',
      path: `${BASE}/Users?${k}=${percentEncode(p)}${k === 'sortOrder' ? '&sortBy=userName' : ''}`,
    })),
    { method: 'GET', path: `${BASE}/Users?sortBy=${percentEncode(p)}&cursor=` },
    {
      method: 'POST',
      path: `${BASE}/.search`,
      body: json({ schemas: [SEARCH_REQUEST], filter: `userName eq ${quoted}`, sortBy: p, attributes: [p] }),
    },
    {
      method: 'POST',
      path: `${BASE}/Groups/.search`,
      body: json({ schemas: [SEARCH_REQUEST], cursor: p, excludedAttributes: p }),
    },
    ...['Users', 'Groups'].flatMap((e) => [
      { method: 'GET', path: `${BASE}/${e}/${percentEncode(p)}` },
      { method: 'DELETE', path: `${BASE}/${e}/${percentEncode(p)}` },
      {
        method: 'PUT',
        path: `${BASE}/${e}/${percentEncode(p)}`,
        body: json({ schemas: [e === 'Users' ? USER_SCHEMA : GROUP_SCHEMA], userName: 'x', displayName: 'x' }),
      },
    ]),
    { method: 'GET', path: `/admin/tokens/${percentEncode(p)}` },
    { method: 'POST', path: `/admin/tokens/${percentEncode(p)}/revoke` },
    // PATCH paths and value-path filters that name nothing: refused, nothing written.
    ...[`${p}`, `emails[value eq ${quoted}].${p}`, `name.${p}`, `urn:${p}:x`].map((path) => ({
      method: 'PATCH',
      path: `${BASE}/Users/${user}`,
      body: json({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value: 'x' }] }),
    })),
    {
      method: 'PATCH',
      path: `${BASE}/Users/${user}`,
      body: json({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `emails[value eq ${quoted}]` }] }),
    },
  ];
  if (headerSafe(p)) {
    requests.push(
      { method: 'GET', path: `${BASE}/Users`, noAuth: true, headers: { Authorization: `Bearer ${p}` } },
      { method: 'GET', path: `${BASE}/Users/${user}`, headers: { 'If-None-Match': p, 'X-Request-Id': p } },
      {
        method: 'PATCH',
        path: `${BASE}/Users/${user}`,
        headers: { 'If-Match': p },
        body: json({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'changed' }] }),
      },
      {
        method: 'POST',
        path: `${BASE}/Users`,
        headers: { 'Content-Type': p },
        body: json({ schemas: [USER_SCHEMA], userName: 'ct' }),
      },
    );
  }
  return requests;
}

describe('Injection through every string input leaves the database as it was', () => {
  let t: TestApp;
  let pool: FuzzPool;
  let payloads: string[];

  before(async () => {
    t = await startTestApp();
    pool = await seedPool(t, 4);
    const known =
      process.env['FUZZ_KNOWN_FAULTS'] === '1' ? [] : KNOWN_FAULT_PAYLOADS.filter((k) => k.dialect === t.dialect);
    payloads = INJECTION_PAYLOADS.filter((p) => !known.some((k) => k.test(p)));
    // The cursor signing key is created on first use; create it before any snapshot.
    assert.equal((await t.req('get', `${BASE}/Users?cursor=&count=1`)).status, 200);
  });
  after(() => t.close());

  it('read-only and invalid requests carrying each payload: SCIM answers, every table unchanged', async (ctx) => {
    const before = await snapshotTables(t.db);
    let sent = 0;
    for (const p of payloads) {
      for (const r of readOnlyRequests(p, pool)) {
        const res = await send(t, r);
        sent++;
        const violation = responseViolation(res);
        assert.equal(violation, undefined, `${violation}: ${describeExchange(r, res)}`);
        // A PATCH that matches nothing may answer 200 (a no-op); the snapshot shows whether anything was written.
        assert.ok(res.status !== 201 && res.status !== 204, `a write was accepted: ${describeExchange(r, res)}`);
      }
    }
    assert.deepEqual(await snapshotTables(t.db), before);
    ctx.diagnostic(`${payloads.length} payloads, ${sent} requests, ${t.dialect}`);
  });

  it('a payload stored as a value round-trips exactly and changes nothing else', async (ctx) => {
    const before = await snapshotTables(t.db);
    let stored = 0;
    for (const p of payloads) {
      const created = await send(t, {
        method: 'POST',
        path: `${BASE}/Users`,
        body: json({
          schemas: [USER_SCHEMA],
          userName: p,
          displayName: p,
          title: p,
          externalId: p,
          emails: [{ value: p, type: 'work' }],
        }),
      });
      assert.equal(
        responseViolation(created),
        undefined,
        describeExchange({ method: 'POST', path: 'Users', body: p }, created),
      );
      // A payload the identifier rule refuses (control characters, RFC 8264) is a 400, never a changed meaning.
      if (created.status === 400 && CONTROL.test(p)) continue;
      assert.equal(created.status, 201, `${JSON.stringify(p)}: ${created.text}`);
      const id = (created.json as { id: string }).id;
      const read = (await send(t, { method: 'GET', path: `${BASE}/Users/${id}` })).json as Record<string, unknown>;
      assert.deepEqual(
        [
          read['userName'],
          read['displayName'],
          read['title'],
          read['externalId'],
          (read['emails'] as { value: string }[])[0]?.value,
        ],
        [p, p, p, p, p],
      );
      for (const filter of [
        `userName eq ${JSON.stringify(p)}`,
        `emails.value eq ${JSON.stringify(p)}`,
        `externalId eq ${JSON.stringify(p)}`,
      ]) {
        const found = (await send(t, { method: 'GET', path: `${BASE}/Users?filter=${percentEncode(filter)}` }))
          .json as { Resources: { id: string }[] };
        assert.deepEqual(
          found.Resources.map((r) => r.id),
          [id],
          `${filter} finds exactly the stored user`,
        );
      }
      const group = await send(t, {
        method: 'POST',
        path: `${BASE}/Groups`,
        body: json({ schemas: [GROUP_SCHEMA], displayName: p, members: [{ value: id }] }),
      });
      assert.equal(group.status, 201, group.text);
      const groupId = (group.json as { id: string }).id;
      assert.equal(
        ((await send(t, { method: 'GET', path: `${BASE}/Groups/${groupId}` })).json as { displayName: string })
          .displayName,
        p,
      );
      assert.equal((await send(t, { method: 'DELETE', path: `${BASE}/Groups/${groupId}` })).status, 204);
      assert.equal((await send(t, { method: 'DELETE', path: `${BASE}/Users/${id}` })).status, 204);
      stored++;
    }
    assert.deepEqual(
      await snapshotTables(t.db),
      before,
      'after deleting what was stored, every other row is as it was',
    );
    ctx.diagnostic(`${stored} of ${payloads.length} payloads stored and read back exactly`);
  });
});
