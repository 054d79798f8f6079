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

/** `directory create|list|disable|enable` and `--directory <slug>` for token commands. */
describe('Directory CLI', () => {
  const sqlitePath = usingPostgres() ? undefined : newSqlitePath();
  const env = {
    PATH: process.env['PATH'] ?? '',
    ...(sqlitePath ? { SQLITE_PATH: sqlitePath } : { DATABASE_URL: process.env['DATABASE_URL'] ?? '' }),
  };
  const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, [CLI, ...args], { env })).stdout);
  const fails = (args: string[], code: number, message: RegExp) =>
    assert.rejects(
      run(process.execPath, [CLI, ...args], { env }),
      (error: { code?: number; stderr?: string }) => error.code === code && message.test(error.stderr ?? ''),
    );

  before(async () => {
    if (usingPostgres()) await resetPostgres(process.env['DATABASE_URL'] ?? '');
  });

  let tokenOfB = '';
  it('creates and lists directories; a token created with --directory belongs to it', async () => {
    const created = await cli('directory', 'create', 'cli-b', '--display-name', 'CLI B');
    assert.equal(created.slug, 'cli-b');
    assert.equal(created.displayName, 'CLI B');
    assert.equal(created.scimBasePath, `/directories/cli-b${BASE}`);
    const listed = await cli('directory', 'list');
    assert.deepEqual(
      listed.map((d: { slug: string }) => d.slug),
      ['default', 'cli-b'],
    );
    const issued = await cli('token', 'create', '--name', 'b-idp', '--scope', 'scim', '--directory', 'cli-b');
    assert.equal(issued.token.directoryId, created.id);
    tokenOfB = issued.secret;
    const admin = await cli('token', 'create', '--name', 'b-admin', '--scope', 'admin', '--directory', 'cli-b');
    assert.equal(admin.token.serverWide, false);
    const wide = await cli('token', 'create', '--name', 'ops', '--scope', 'admin');
    assert.equal(wide.token.serverWide, true);
    assert.equal(wide.token.directoryId, 1);
    const ofB = await cli('token', 'list', '--directory', 'cli-b');
    assert.deepEqual(ofB.map((x: { name: string }) => x.name).sort(), ['b-admin', 'b-idp']);
    const ofDefault = await cli('token', 'list');
    assert.deepEqual(
      ofDefault.map((x: { name: string }) => x.name),
      ['ops'],
    );
    await fails(['token', 'revoke', issued.token.id], 1, /not found/);
  });

  it('refuses an unknown directory, a taken or malformed slug', async () => {
    await fails(['token', 'list', '--directory', 'nope'], 2, /No directory with slug 'nope'/);
    await fails(['directory', 'create', 'cli-b'], 1, /exists/);
    await fails(['directory', 'create', 'Bad_Slug'], 1, /slug/);
    await fails(['directory', 'disable'], 2, /needs a slug/);
  });

  it("token create takes --rate-limit-per-minute and --user-id (a user of the token's directory)", async () => {
    const limited = await cli('token', 'create', '--name', 'slow', '--scope', 'scim', '--rate-limit-per-minute', '7');
    assert.equal(limited.token.rateLimitPerMinute, 7);
    assert.equal(limited.token.userId, null);
    const unknown = '00000000-0000-4000-8000-000000000001';
    await fails(['token', 'create', '--name', 'me', '--scope', 'scim', '--user-id', unknown], 1, /names no user/);
  });

  it('disable and enable switch provisioning of a running server within its cache bound', async () => {
    const t = await startTestApp({
      keepData: true,
      env: { DIRECTORY_CACHE_TTL_MS: '0' },
      ...(sqlitePath ? { sqlitePath } : {}),
    });
    try {
      const base = `/directories/cli-b${BASE}`;
      assert.equal((await t.req('get', `${base}/Users`, tokenOfB)).status, 200);
      assert.equal((await cli('directory', 'disable', 'cli-b')).disabled, true);
      assert.equal((await t.req('get', `${base}/Users`, tokenOfB)).status, 403);
      assert.equal((await cli('directory', 'enable', 'cli-b')).disabled, false);
      assert.equal((await t.req('get', `${base}/Users`, tokenOfB)).status, 200);
      assert.equal((await t.req('get', `${BASE}/Users`, tokenOfB)).status, 401);
    } finally {
      await t.app.close();
    }
  });
});
