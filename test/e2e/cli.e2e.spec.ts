import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BASE, newSqlitePath, resetPostgres, startTestApp, usingPostgres } from '../setup/test-app.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../src/cli/cli.js', import.meta.url));

/** The token CLI works on the database directly, before or beside a running server. */
describe('Token CLI', () => {
  const sqlitePath = usingPostgres() ? undefined : newSqlitePath();
  const env = {
    PATH: process.env['PATH'] ?? '',
    ...(sqlitePath ? { SQLITE_PATH: sqlitePath } : { DATABASE_URL: process.env['DATABASE_URL'] ?? '' }),
  };
  const cli = async (...args: string[]) => run(process.execPath, [CLI, ...args], { env });

  before(async () => {
    if (usingPostgres()) await resetPostgres(process.env['DATABASE_URL'] ?? '');
  });

  let secret = '';
  let id = '';
  it('creates a scim token on a fresh database (migrating it) and prints the secret once', async () => {
    const { stdout } = await cli('token', 'create', '--name', 'okta', '--scope', 'scim', '--expires-in-days', '30');
    const out = JSON.parse(stdout);
    secret = out.secret;
    id = out.token.id;
    assert.match(secret, /^scim_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(out.token.scopes, ['scim']);
    assert.ok(Date.parse(out.token.expiresAt) > Date.now() + 29 * 86_400_000);
    const list = JSON.parse((await cli('token', 'list')).stdout);
    assert.equal(list.length, 1);
    assert.doesNotMatch(JSON.stringify(list), new RegExp(secret.slice(12)));
  });

  it('the token works on a server started on the same database, and a CLI revoke stops it', async () => {
    const t = await startTestApp({ keepData: true, ...(sqlitePath ? { sqlitePath } : {}) });
    try {
      assert.equal((await t.req('get', `${BASE}/Users`, secret)).status, 200);
      const revoked = JSON.parse((await cli('token', 'revoke', id)).stdout);
      assert.equal(revoked.status, 'revoked');
      await new Promise((r) => setTimeout(r, 2100)); // the server's verification cache (TOKEN_CACHE_TTL_MS)
      assert.equal((await t.req('get', `${BASE}/Users`, secret)).status, 401);
    } finally {
      await t.app.close();
    }
  });

  it('rejects bad usage with exit code 2 and a message', async () => {
    await assert.rejects(
      cli('token', 'create', '--name', 'x', '--scope', 'root'),
      (error: { code?: number; stderr?: string }) => error.code === 2 && /--scope scim\|admin/.test(error.stderr ?? ''),
    );
    await assert.rejects(
      cli('nonsense'),
      (error: { code?: number; stderr?: string }) => error.code === 2 && /Usage/.test(error.stderr ?? ''),
    );
  });
});
