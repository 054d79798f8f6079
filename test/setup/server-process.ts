import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resetPostgres } from './test-app.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stopAndWait(): Promise<number | null>;
  /** Sends SIGKILL (no shutdown hook runs: a crash) and resolves once the process is gone. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms:\n${output()}`);
}

/** Starts the built server (node dist-test/src/main.js) as a real separate process. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, [MAIN], {
    // Load runs exceed a token's default budget (RATE_LIMIT_PER_MINUTE); the limiter still runs, at its maximum.
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const output = (): string => log;
  await waitHealthy(url, child, output, 30_000);
  const stopAndWait = (): Promise<number | null> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return {
    url,
    output,
    stop: async () => {
      await stopAndWait();
    },
    stopAndWait,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * A database for server processes: the PostgreSQL of DATABASE_URL, emptied, or a
 * fresh SQLite file in a temporary folder (removed by `cleanup`).
 */
export async function processDatabase(
  prefix: string,
  bootstrap: string,
): Promise<{ env: Record<string, string>; sqlitePath?: string; cleanup: () => void }> {
  const url = process.env['DATABASE_URL'];
  if (url) {
    await resetPostgres(url);
    return { env: { DATABASE_URL: url, SCIM_BOOTSTRAP_TOKEN: bootstrap }, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const sqlitePath = join(dir, 'scim.sqlite');
  return {
    env: { SQLITE_PATH: sqlitePath, SCIM_BOOTSTRAP_TOKEN: bootstrap },
    sqlitePath,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
