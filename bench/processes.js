// Processes of a benchmark run: pinned with taskset, waited for, and stopped by PID.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';

function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins every thread of this process (the load generator) to `cpu`; false when taskset is missing. */
export function pinSelf(cpu) {
  if (!hasTaskset()) return false;
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
  return true;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitReady(url, child, path) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${path} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} did not start`);
}

/**
 * Starts `node <args>` pinned to `cpu` (taskset execs node, so the PID is node's) and
 * records it in `started` so that it is stopped whatever happens.
 */
export async function startPinned(started, cpu, args, token, env = {}, cwd = process.cwd()) {
  const port = await freePort();
  const isServer = args[0].endsWith('main.js');
  const nodeArgs = isServer ? args : [...args, String(port), token];
  const command = hasTaskset()
    ? ['taskset', ['-c', String(cpu), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(command[0], command[1], {
    // A benchmark exceeds a token's default budget; the limiter still runs (and costs), at its maximum.
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd,
  });
  started.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(isServer ? `${url}/health` : url, child, args[0]);
  return { url, pid: child.pid };
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    process.kill(child.pid, 'SIGTERM');
  });
}

/** Stops the started process with `pid` (SIGTERM, SIGKILL after 10 s) and forgets it. */
export async function stopOne(started, pid) {
  const at = started.findIndex((child) => child.pid === pid);
  if (at < 0) return;
  const [child] = started.splice(at, 1);
  await stopChild(child);
}

/** SIGTERM to each started process by PID, SIGKILL after 10 s. */
export async function stopAll(started) {
  await Promise.all(started.splice(0).map(stopChild));
}

/** Peak resident set of a process in MB (Linux VmHWM), or null where /proc is missing. */
export function readPeakRssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:'));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** A new, empty PostgreSQL database for one run (BENCH_PG_ADMIN_URL, trust auth on loopback by default). */
export async function freshPostgres(name) {
  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async (stopping) => {
      await stopping;
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
