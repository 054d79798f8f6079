import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ScimException } from '../scim/errors/scim.exception.js';
import { SqliteReadPool } from './sqlite-read-pool.js';

// Seconds of one SQLite step on this machine: far past the pool's 400 ms bound, which a fresh
// worker's start and a one-row read stay well within.
const SLOW =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) SELECT count(*) AS n FROM c';

describe('SqliteReadPool bounds one read by its time (QUERY_TIMEOUT_MS)', () => {
  let dir: string;
  let pool: SqliteReadPool;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scim-pool-'));
    const path = join(dir, 'pool.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x integer); INSERT INTO t VALUES (7)');
    db.close();
    pool = new SqliteReadPool(path, 1, 4, 400);
  });
  after(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a read past the bound 503 and serves the next read on a fresh worker meanwhile', async () => {
    const order: string[] = [];
    const slow = pool.run(SLOW, []).then(
      () => order.push('slow answered with rows'),
      (error: unknown) => {
        assert.ok(error instanceof ScimException);
        assert.equal(error.status, 503);
        assert.match(error.detail, /QUERY_TIMEOUT_MS/);
        order.push('slow 503');
      },
    );
    const fast = pool.run('SELECT x FROM t', []).then((rows) => order.push(`fast ${JSON.stringify(rows)}`));
    await Promise.all([slow, fast]);
    assert.deepEqual(order, ['slow 503', 'fast [{"x":7}]']);
  });
});
