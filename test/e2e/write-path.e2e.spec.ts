import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { displayPrefix, generateSecret, hashSecret } from '../../src/auth/token-secret.js';
import { TokensService } from '../../src/auth/tokens.service.js';
import { TransactionService, txQuery, type TxScope } from '../../src/database/transaction.service.js';
import { PATCH_OP, type Json } from '../setup/patch-helpers.js';
import { expectScimError } from '../setup/scim-assertions.js';
import { BASE, SCIM_JSON, startTestApp, userBody, usingPostgres, type TestApp } from '../setup/test-app.js';

const ROLLBACK = 'write-path test: roll back';

interface Barrier {
  readonly wait: Promise<void>;
  readonly release: () => void;
}

function barrier(): Barrier {
  let release: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { wait, release };
}

interface HeldTransaction {
  /** Resolves once `work` has run and the transaction is waiting for release(). */
  readonly opened: Promise<void>;
  release(): void;
  /** Settles when the transaction has committed or rolled back. */
  readonly done: Promise<void>;
}

/**
 * One transaction through the application's own write path, held open after `work`
 * until release(): the window in which the review saw token writes join it.
 */
function holdTransaction(
  t: TestApp,
  work: (tx: TxScope) => Promise<void>,
  outcome: 'commit' | 'rollback',
): HeldTransaction {
  const opened = barrier();
  const gate = barrier();
  const done = t.app
    .get(TransactionService)
    .run(async (tx) => {
      await work(tx);
      opened.release();
      await gate.wait;
      if (outcome === 'rollback') throw new Error(ROLLBACK);
    })
    .then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof Error && error.message === ROLLBACK)) throw error;
      },
    );
  return { opened: opened.wait, release: gate.release, done };
}

/** Resolves when the application next asks TransactionService for a transaction (a deterministic hook). */
function watchNextTransaction(t: TestApp): { readonly called: Promise<void>; stop(): void } {
  const service = t.app.get(TransactionService);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this) and put back as it was
  const original = service.run;
  const seen = barrier();
  service.run = function run<T>(this: TransactionService, work: (tx: TxScope) => Promise<T>): Promise<T> {
    service.run = original;
    seen.release();
    return original.call(this, work) as Promise<T>;
  };
  return {
    called: seen.wait,
    stop: () => {
      service.run = original;
    },
  };
}

function insertUserRow(t: TestApp, tx: TxScope, id: string): Promise<unknown> {
  const now = new Date().toISOString();
  return txQuery(
    tx,
    t.dialect,
    `INSERT INTO users (id, user_name, user_name_key, created, last_modified, version, doc)
    VALUES ($1, $2, $2, $3, $3, 1, $4)`,
    [id, `held-${id}`, now, JSON.stringify({ userName: `held-${id}` })],
  );
}

interface WindowResult<T> {
  readonly result: T;
  /** The user row the held transaction wrote and rolled back. */
  readonly rolledBackUserId: string;
}

/**
 * Sends a request while another transaction is open, then rolls that transaction back.
 * The barrier is released once the request has asked for its own transaction (on SQLite it
 * then waits in the queue) or has been answered, whichever comes first.
 */
async function duringRolledBackWrite<T>(t: TestApp, send: () => Promise<T>): Promise<WindowResult<T>> {
  const rolledBackUserId = randomUUID();
  const held = holdTransaction(t, (tx) => insertUserRow(t, tx, rolledBackUserId).then(() => undefined), 'rollback');
  await held.opened;
  const watch = watchNextTransaction(t);
  const pending = send();
  await Promise.race([pending, watch.called]);
  watch.stop();
  held.release();
  await held.done;
  return { result: await pending, rolledBackUserId };
}

describe(`One write path for every table (${usingPostgres() ? 'PostgreSQL' : 'SQLite'})`, { timeout: 60_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    // Warms the admin token up, so its once-a-minute lastUsedAt write is not the transaction watched below.
    assert.equal((await t.req('get', '/admin/tokens')).status, 200);
  });
  after(async () => {
    await t.close();
  });

  const tokenRow = async (id: string): Promise<Json | undefined> =>
    (await t.db.query<Json[]>(`SELECT * FROM api_tokens WHERE id = '${id}'`))[0];
  const userRowCount = async (id: string): Promise<number> =>
    (await t.db.query<Json[]>(`SELECT id FROM users WHERE id = '${id}'`)).length;
  const scimStatus = async (secret: string): Promise<number> =>
    (await t.req('get', `${BASE}/Users`, secret).query({ count: 0 })).status;
  const createToken = async (name: string): Promise<{ id: string; secret: string }> => {
    const res = await t.req('post', '/admin/tokens').send({ name, scopes: ['scim'] });
    assert.equal(res.status, 201, res.text);
    return { id: res.body.token.id, secret: res.body.secret };
  };

  it('a revoke during another transaction that rolls back stays revoked', async () => {
    const victim = await createToken('revoke-in-window');
    assert.equal(await scimStatus(victim.secret), 200);

    const { result: res, rolledBackUserId } = await duringRolledBackWrite(t, () =>
      t.req('post', `/admin/tokens/${victim.id}/revoke`).then((r) => r),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'revoked');
    assert.equal(await userRowCount(rolledBackUserId), 0, 'the held write was rolled back');
    assert.ok((await tokenRow(victim.id))?.['revoked_at'], 'the revoke the response reported is stored');
    expectScimError(await t.req('get', `${BASE}/Users`, victim.secret), 401);
  });

  it('a token created during another transaction that rolls back exists and works', async () => {
    const { result: res, rolledBackUserId } = await duringRolledBackWrite(t, () =>
      t
        .req('post', '/admin/tokens')
        .send({ name: 'created-in-window', scopes: ['scim'] })
        .then((r) => r),
    );
    assert.equal(res.status, 201, res.text);
    assert.equal(await userRowCount(rolledBackUserId), 0);
    const row = await tokenRow(res.body.token.id);
    assert.equal(row?.['secret_hash'], hashSecret(res.body.secret));
    assert.equal(await scimStatus(res.body.secret), 200);
  });

  it('a rotation during another transaction that rolls back retires the old token and keeps the new one', async () => {
    const old = await createToken('rotate-in-window');
    const { result: res } = await duringRolledBackWrite(t, () =>
      t
        .req('post', `/admin/tokens/${old.id}/rotate`)
        .send({ graceSeconds: 0 })
        .then((r) => r),
    );
    assert.equal(res.status, 201, res.text);
    assert.ok((await tokenRow(old.id))?.['revoked_at']);
    assert.ok(await tokenRow(res.body.token.id));
    assert.equal(await scimStatus(old.secret), 401);
    assert.equal(await scimStatus(res.body.secret), 200);
  });

  it('lastUsedAt recorded during another transaction that rolls back is kept, and the request does not wait for it', async () => {
    const fresh = await createToken('touched-in-window');
    assert.equal((await tokenRow(fresh.id))?.['last_used_at'], null);
    const rolledBackUserId = randomUUID();
    const held = holdTransaction(t, (tx) => insertUserRow(t, tx, rolledBackUserId).then(() => undefined), 'rollback');
    await held.opened;
    try {
      // Answered while the other transaction is still open: the lastUsedAt write is queued, not awaited.
      assert.equal(await scimStatus(fresh.secret), 200);
    } finally {
      held.release();
      await held.done;
    }
    await t.app.get(TokensService).whenTouchesSettled();
    assert.equal(await userRowCount(rolledBackUserId), 0);
    assert.match(String((await tokenRow(fresh.id))?.['last_used_at']), /^\d{4}-\d\d-\d\dT/);
  });

  it('the cursor signing key created during another transaction that rolls back is stored', async () => {
    for (const name of ['cursor.one@example.com', 'cursor.two@example.com']) {
      const created = await t.req('post', `${BASE}/Users`).set('Content-Type', SCIM_JSON).send(userBody(name));
      assert.equal(created.status, 201, created.text);
    }
    const { result: first } = await duringRolledBackWrite(t, () =>
      t
        .req('get', `${BASE}/Users`)
        .query({ cursor: '', count: 1 })
        .then((r) => r),
    );
    assert.equal(first.status, 200, first.text);
    assert.equal(typeof first.body.nextCursor, 'string');
    const keys = await t.db.query<Json[]>(`SELECT value FROM server_state WHERE key = 'cursor_signing_key'`);
    assert.equal(keys.length, 1, 'the key that signed the cursor is in the database for every instance');
    const next = await t.req('get', `${BASE}/Users`).query({ cursor: first.body.nextCursor, count: 1 });
    assert.equal(next.status, 200, next.text);
  });

  it("a token read outside a transaction does not see another transaction's uncommitted row", async () => {
    const secret = generateSecret();
    const id = randomUUID();
    const held = holdTransaction(
      t,
      async (tx) => {
        await txQuery(
          tx,
          t.dialect,
          `INSERT INTO api_tokens (id, name, prefix, secret_hash, scopes, created_at, is_bootstrap)
        VALUES ($1, 'uncommitted', $2, $3, 'scim', $4, $5)`,
          [id, displayPrefix(secret), hashSecret(secret), new Date().toISOString(), false],
        );
      },
      'commit',
    );
    await held.opened;
    try {
      expectScimError(await t.req('get', `${BASE}/Users`, secret), 401);
      const listed = await t.req('get', '/admin/tokens');
      assert.equal(listed.status, 200);
      assert.equal(
        listed.body.tokens.some((tok: Json) => tok['id'] === id),
        false,
        'the admin list reads committed rows only',
      );
      expectScimError(await t.req('get', `/admin/tokens/${id}`), 404);
    } finally {
      held.release();
      await held.done;
    }
    assert.equal(await scimStatus(secret), 200, 'committed: the token works');
  });

  it('PATCH [replace password, replace userName to a taken one] is 409 and a revoke sent meanwhile holds', async () => {
    const taken = await t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('taken.name@example.com'));
    const target = await t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('patch.target@example.com'));
    assert.equal(taken.status, 201);
    assert.equal(target.status, 201);
    const victim = await createToken('revoke-during-patch');
    const watch = watchNextTransaction(t);
    const patch = t
      .req('patch', `${BASE}/Users/${target.body.id}`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'password', value: 'N3w-secret!' },
          { op: 'replace', path: 'userName', value: 'taken.name@example.com' },
        ],
      })
      .then((r) => r);
    await watch.called;
    const revoke = await t.req('post', `/admin/tokens/${victim.id}/revoke`);
    assert.equal(revoke.status, 200, revoke.text);
    expectScimError(await patch, 409, 'uniqueness');
    assert.ok((await tokenRow(victim.id))?.['revoked_at']);
    expectScimError(await t.req('get', `${BASE}/Users`, victim.secret), 401);
    const [row] = await t.db.query<Json[]>(`SELECT user_name, password_hash FROM users WHERE id = '${target.body.id}'`);
    assert.equal(row?.['user_name'], 'patch.target@example.com');
    assert.equal(row?.['password_hash'], null, 'the failed PATCH set no password');
  });

  it('PATCH that sets a password only on the locked document still stores its hash', async () => {
    const user = await t
      .req('post', `${BASE}/Users`)
      .set('Content-Type', SCIM_JSON)
      .send(userBody('late.password@example.com', { emails: [{ value: 'home@example.com', type: 'home' }] }));
    assert.equal(user.status, 201, user.text);
    const id = user.body.id as string;
    // The stored document gains a work e-mail in a transaction that commits only after the PATCH
    // below has read the document outside its transaction; only then does its filter match.
    const withWork = { ...user.body, emails: [...user.body.emails, { value: 'work@example.com', type: 'work' }] };
    const held = holdTransaction(
      t,
      async (tx) => {
        await txQuery(tx, t.dialect, 'UPDATE users SET doc = $2, version = version + 1 WHERE id = $1', [
          id,
          JSON.stringify(withWork),
        ]);
      },
      'commit',
    );
    await held.opened;
    const watch = watchNextTransaction(t);
    const patch = t
      .req('patch', `${BASE}/Users/${id}`)
      .set('Content-Type', SCIM_JSON)
      .send({
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'emails[type ne "home"].value', value: 'new.work@example.com' },
          { op: 'replace', path: 'password', value: 'L4te-secret!' },
        ],
      })
      .then((r) => r);
    await Promise.race([patch, watch.called]);
    watch.stop();
    held.release();
    await held.done;
    const res = await patch;
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.emails.map((e: Json) => e['value']).sort(), ['home@example.com', 'new.work@example.com']);
    const [row] = await t.db.query<Json[]>(`SELECT password_hash FROM users WHERE id = '${id}'`);
    assert.match(String(row?.['password_hash']), /^\$argon2id\$/);
  });
});
