import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { processDatabase, startServerProcess, type ServerProcess } from '../setup/server-process.js';
import { BASE, USER_SCHEMA, usingPostgres } from '../setup/test-app.js';

const bootstrap = `multi-process-${randomBytes(16).toString('hex')}`;
const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' });

async function call(url: string, path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}${path}`, { ...init, headers: { ...auth(token), ...(init.headers ?? {}) } });
}

/**
 * Real server processes. On PostgreSQL two instances share one database (the
 * scale-out design); SQLite allows one process per file, so there it is one.
 */
describe(`Server processes on ${usingPostgres() ? 'one PostgreSQL, two instances' : 'SQLite, one instance'}`, () => {
  const servers: ServerProcess[] = [];
  let cleanup: () => void = () => undefined;

  before(async () => {
    const database = await processDatabase('scim-proc-', bootstrap);
    cleanup = database.cleanup;
    const count = usingPostgres() ? 2 : 1;
    servers.push(...(await Promise.all(Array.from({ length: count }, () => startServerProcess(database.env)))));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    cleanup();
  });

  it('a token revoked through one instance is refused by every instance within 5 seconds', async () => {
    const a = servers[0];
    const b = servers[servers.length - 1];
    const created = await call(a.url, '/admin/tokens', bootstrap, {
      method: 'POST',
      body: JSON.stringify({ name: 'soon-revoked', scopes: ['scim'] }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(created.status, 201);
    const { secret, token } = (await created.json()) as { secret: string; token: { id: string } };
    assert.equal((await call(b.url, `${BASE}/Users`, secret)).status, 200, 'b has verified (and may cache) the token');
    const revoked = await call(a.url, `/admin/tokens/${token.id}/revoke`, bootstrap, { method: 'POST' });
    assert.equal(revoked.status, 200);
    const start = Date.now();
    let status = 200;
    while (Date.now() - start < 6000) {
      status = (await call(b.url, `${BASE}/Users`, secret)).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = Date.now() - start;
    assert.equal(status, 401);
    assert.ok(elapsed <= 5000, `refused after ${elapsed} ms`);
  });

  it('50 concurrent POSTs of one userName through every instance: exactly one 201 and 49 409', async () => {
    const userName = `race-${randomBytes(4).toString('hex')}@example.com`;
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(servers[i % servers.length].url, `${BASE}/Users`, bootstrap, {
          method: 'POST',
          // Case variants too: uniqueness is case-insensitive.
          body: JSON.stringify({ schemas: [USER_SCHEMA], userName: i % 2 ? userName.toUpperCase() : userName }),
        }).then(async (res) => {
          const body = (await res.json()) as { scimType?: string };
          if (res.status === 409) assert.equal(body.scimType, 'uniqueness');
          return res.status;
        }),
      ),
    );
    assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 409).length, 49, `statuses: ${statuses.join(',')}`);
    const list = await call(
      servers[0].url,
      `${BASE}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
      bootstrap,
    );
    assert.equal(((await list.json()) as { totalResults: number }).totalResults, 1);
  });
});

describe('Instances starting together on a fresh PostgreSQL database', () => {
  it('run the migrations once, under a lock, and all come up', { timeout: 60_000 }, async (t) => {
    if (!usingPostgres()) {
      t.diagnostic('SQLite: one process per database file; the migration lock is a PostgreSQL concern');
      return;
    }
    const adminUrl = new URL(process.env['DATABASE_URL'] ?? '');
    const name = `scim_race_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const dbUrl = new URL(adminUrl.toString());
    dbUrl.pathname = `/${name}`;
    const started: ServerProcess[] = [];
    try {
      const env = { DATABASE_URL: dbUrl.toString(), SCIM_BOOTSTRAP_TOKEN: bootstrap };
      started.push(...(await Promise.all([startServerProcess(env), startServerProcess(env), startServerProcess(env)])));
      const check = new pg.Client({ connectionString: dbUrl.toString() });
      await check.connect();
      const { rows } = await check.query('SELECT name FROM typeorm_migrations');
      const tokens = await check.query('SELECT id FROM api_tokens');
      await check.end();
      assert.deepEqual(
        rows.map((r: { name: string }) => r.name).sort(),
        MIGRATIONS.map((m) => m.name).sort(),
        'each migration applied exactly once',
      );
      assert.equal(tokens.rows.length, 1, 'one bootstrap token, however many instances');
      for (const s of started) assert.equal((await call(s.url, `${BASE}/Users`, bootstrap)).status, 200);
    } finally {
      await Promise.all(started.map((s) => s.stop()));
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('Process lifecycle', () => {
  it('a bad configuration value stops the server at start with a message naming it', async () => {
    await assert.rejects(
      startServerProcess({ PORT: 'not-a-port', SQLITE_PATH: join(tmpdir(), 'never-created.sqlite') }),
      (error: Error) =>
        /exited with 1/.test(error.message) &&
        /PORT/.test(error.message) &&
        /Invalid configuration/.test(error.message),
    );
  });

  it('SIGTERM lets a request in flight finish, then the process exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-term-'));
    try {
      const env: Record<string, string> = usingPostgres()
        ? { DATABASE_URL: process.env['DATABASE_URL'] ?? '', SCIM_BOOTSTRAP_TOKEN: bootstrap }
        : { SQLITE_PATH: join(dir, 'scim.sqlite'), SCIM_BOOTSTRAP_TOKEN: bootstrap };
      const server = await startServerProcess(env);
      // Warm the client so that the POST below reaches the server at once.
      assert.equal((await call(server.url, `${BASE}/Users?count=1`, bootstrap)).status, 200);
      const inFlight = call(server.url, `${BASE}/Users`, bootstrap, {
        method: 'POST',
        body: JSON.stringify({
          schemas: [USER_SCHEMA],
          userName: `term-${randomBytes(4).toString('hex')}`,
          password: 'argon2-makes-this-slow',
        }),
      });
      // argon2id hashing keeps the request busy for tens of milliseconds; stop in the middle of it.
      await new Promise((r) => setTimeout(r, 15));
      const exited = server.stopAndWait();
      assert.equal((await inFlight).status, 201);
      assert.equal(await exited, 0, server.output());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
