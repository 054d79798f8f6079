import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_DIRECTORY, SYSTEM_PRINCIPAL, type ScimContext } from '../../src/common/http/scim-context.js';
import { toDriverQuery, type SqlParam } from '../../src/database/sql-reader.js';
import type { Mutation, UnitOfWork } from '../../src/database/unit-of-work.js';
import { UnitOfWorkService } from '../../src/database/unit-of-work.service.js';
import { GroupsService } from '../../src/groups/groups.service.js';
import { UsersService } from '../../src/users/users.service.js';
import {
  BASE,
  GROUP_SCHEMA,
  SCIM_JSON,
  startTestApp,
  userBody,
  usingPostgres,
  type TestApp,
} from '../setup/test-app.js';

// A table of the test's own: what an audit hook would write inside the change's transaction.
const AUDIT_DDL =
  'CREATE TABLE uow_audit (resource_id TEXT NOT NULL, operation TEXT NOT NULL, token_name TEXT NOT NULL)';

/** The hook under test: one audit row per recorded mutation, in the unit of work's own transaction. */
async function auditHook(uow: UnitOfWork, mutation: Mutation): Promise<void> {
  await uow.query('INSERT INTO uow_audit (resource_id, operation, token_name) VALUES ($1, $2, $3)', [
    mutation.resourceId,
    mutation.operation,
    uow.context.principal.tokenName,
  ]);
}

describe('Unit of work: hooks, records, principal and nesting', () => {
  let t: TestApp;
  let units: UnitOfWorkService;
  const removals: (() => void)[] = [];

  const rows = async (sql: string, params: SqlParam[] = []): Promise<Record<string, unknown>[]> =>
    t.db.query<Record<string, unknown>[]>(...toDriverQuery(t.dialect, sql, params));
  const usersNamed = async (userName: string): Promise<number> =>
    (await rows('SELECT id FROM users WHERE user_name = $1', [userName])).length;
  const auditOf = (resourceId: string): Promise<Record<string, unknown>[]> =>
    rows('SELECT operation, token_name FROM uow_audit WHERE resource_id = $1', [resourceId]);
  const systemCtx = (unitOfWork?: UnitOfWork): ScimContext => ({
    baseUrl: `${t.url}${BASE}`,
    requestId: 'test',
    principal: SYSTEM_PRINCIPAL,
    directory: DEFAULT_DIRECTORY,
    ...(unitOfWork ? { unitOfWork } : {}),
  });

  before(async () => {
    t = await startTestApp();
    units = t.app.get(UnitOfWorkService);
    await t.db.query('DROP TABLE IF EXISTS uow_audit');
    await t.db.query(AUDIT_DDL);
  });
  beforeEach(() => {
    while (removals.length > 0) removals.pop()?.();
  });
  after(async () => {
    while (removals.length > 0) removals.pop()?.();
    await t.db.query('DROP TABLE IF EXISTS uow_audit');
    await t.close();
  });

  it('a hook row commits with the change, and the principal is the token that made the request', async () => {
    const secret = await t.issueToken(['scim'], 'uow-principal');
    removals.push(units.addHook(auditHook));
    const seen: UnitOfWork['context'][] = [];
    removals.push(units.addHook((uow) => Promise.resolve(void seen.push(uow.context))));
    const res = await t
      .req('post', `${BASE}/Users`, secret)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('uow-audited'))
      .expect(201);
    const id = String(res.body.id);
    assert.deepEqual(await auditOf(id), [{ operation: 'create', token_name: 'uow-principal' }]);
    const [token] = await rows('SELECT id FROM api_tokens WHERE name = $1', ['uow-principal']);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.principal.kind, 'token');
    assert.equal(seen[0]?.principal.tokenId, token?.['id']);
    assert.equal(seen[0]?.principal.tokenName, 'uow-principal');
    assert.deepEqual([...(seen[0]?.principal.scopes ?? [])], ['scim']);
    assert.equal(seen[0]?.directory.id, DEFAULT_DIRECTORY.id);
    await t.req('delete', `${BASE}/Users/${id}`).expect(204);
    assert.deepEqual(
      (await auditOf(id)).map((r) => r['operation']),
      ['create', 'delete'],
    );
  });

  it('a hook that throws rolls the change back: the resource is not in the database', async () => {
    removals.push(units.addHook(auditHook));
    removals.push(
      units.addHook((_uow, mutation) =>
        mutation.resourceType === 'User' ? Promise.reject(new Error('audit sink refused')) : Promise.resolve(),
      ),
    );
    const audited = (await rows('SELECT resource_id FROM uow_audit')).length;
    await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody('uow-hook-throws')).expect(500);
    assert.equal(await usersNamed('uow-hook-throws'), 0);
    assert.equal(
      (await rows('SELECT resource_id FROM uow_audit')).length,
      audited,
      "the first hook's audit row went with it",
    );
  });

  it('a hook row is rolled back when a later write of the same unit fails', async () => {
    removals.push(units.addHook(auditHook));
    let recorded = 0;
    removals.push(units.addHook(() => Promise.resolve(void recorded++)));
    const users = t.app.get(UsersService);
    await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody('uow-taken')).expect(201);
    const before = (await rows('SELECT resource_id FROM uow_audit')).length;
    recorded = 0;
    await assert.rejects(
      units.run(systemCtx(), async (uow) => {
        await users.create(userBody('uow-first'), users.projection(undefined, undefined, systemCtx()), systemCtx(uow));
        await users.create(userBody('uow-taken'), users.projection(undefined, undefined, systemCtx()), systemCtx(uow));
      }),
      (error: unknown) => (error as { status?: number }).status === 409,
    );
    assert.equal(recorded, 1, 'the first create was recorded and its hook ran');
    assert.equal(await usersNamed('uow-first'), 0);
    assert.equal((await rows('SELECT resource_id FROM uow_audit')).length, before);
  });

  it(
    'operations run in an outer unit of work commit together, without queueing behind it',
    { timeout: 15_000 },
    async () => {
      removals.push(units.addHook(auditHook));
      const users = t.app.get(UsersService);
      const groups = t.app.get(GroupsService);
      const outcome = await units.run(systemCtx(), async (uow) => {
        const user = await users.create(
          userBody('uow-nested'),
          users.projection(undefined, undefined, systemCtx()),
          systemCtx(uow),
        );
        const userId = String(user.resource['id']);
        const group = await groups.create(
          { schemas: [GROUP_SCHEMA], displayName: 'uow-nested', members: [{ value: userId }] },
          groups.projection(undefined, undefined, systemCtx()),
          systemCtx(uow),
        );
        return { userId, groupId: String(group.resource['id']), records: uow.records.length };
      });
      assert.equal(outcome.records, 2);
      assert.equal(await usersNamed('uow-nested'), 1);
      assert.equal(
        (await rows('SELECT member_id FROM group_members WHERE group_id = $1', [outcome.groupId]))[0]?.['member_id'],
        outcome.userId,
      );
      assert.deepEqual(
        (await auditOf(outcome.userId)).map((r) => r['token_name']),
        ['system'],
      );
    },
  );

  it('operations in an outer unit of work roll back together', { timeout: 15_000 }, async () => {
    const users = t.app.get(UsersService);
    const groups = t.app.get(GroupsService);
    await assert.rejects(
      units.run(systemCtx(), async (uow) => {
        await users.create(
          userBody('uow-neither'),
          users.projection(undefined, undefined, systemCtx()),
          systemCtx(uow),
        );
        await groups.create(
          { schemas: [GROUP_SCHEMA], displayName: 'uow-neither' },
          groups.projection(undefined, undefined, systemCtx()),
          systemCtx(uow),
        );
        throw new Error('the outer work fails');
      }),
      /the outer work fails/,
    );
    assert.equal(await usersNamed('uow-neither'), 0);
    assert.equal((await rows('SELECT id FROM groups WHERE display_name = $1', ['uow-neither'])).length, 0);
  });

  it('a retried attempt drops its records and runs the hooks again (PostgreSQL retries 40001; SQLite never conflicts)', async () => {
    removals.push(units.addHook(auditHook));
    let attempts = 0;
    const run = units.run(systemCtx(), async (uow) => {
      attempts++;
      await uow.record({ operation: 'claim', resourceType: 'ServerState', resourceId: 'uow-retry' });
      if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return uow.records.length;
    });
    if (usingPostgres()) {
      assert.equal(await run, 1, 'the second attempt starts with no records');
      assert.equal(attempts, 2);
      assert.equal((await auditOf('uow-retry')).length, 1, "the failed attempt's hook row was rolled back");
    } else {
      await assert.rejects(run, /could not serialize access/);
      assert.equal(attempts, 1);
      assert.equal((await auditOf('uow-retry')).length, 0);
    }
  });

  it('a unit of work joins an outer one of the same directory only', async () => {
    const users = t.app.get(UsersService);
    const projection = users.projection(undefined, undefined, systemCtx());
    await assert.rejects(
      units.run(systemCtx(), async (uow) => {
        await users.create(userBody('uow-other-directory'), projection, {
          ...systemCtx(uow),
          directory: { id: 2, slug: 'other', settings: {} },
        });
      }),
      /another directory/,
    );
    assert.equal(await usersNamed('uow-other-directory'), 0);
  });
});
