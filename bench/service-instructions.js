// Machine instructions per PATCH and GET /Users/{id} in the service layer, for one or more
// checkouts, counted by valgrind's callgrind over the measured loop only (service-loop.js).
// Instruction counts do not depend on what else the machine runs, so two checkouts can be
// compared on a shared, noisy machine where timings cannot; they do not see I/O waits or
// cache effects, so they complement the HTTP benchmark (run.js), not replace it.
// Each checkout needs `npm run test:build`. Slow: a few minutes per checkout and operation.
// Usage: node bench/service-instructions.js <checkout> [<checkout> ...] [--ops patch,get] [--n 1000]
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { ops: { type: 'string', default: 'patch,get' }, n: { type: 'string', default: '1000' } },
});
if (positionals.length === 0) throw new Error('usage: node bench/service-instructions.js <checkout> [...]');
const n = Number(opts.n);
const loop = resolve(import.meta.dirname, 'service-loop.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (file) => {
  while (!existsSync(file)) await sleep(200);
};

async function count(root, op) {
  const dir = mkdtempSync(join(tmpdir(), 'scim-cg-'));
  const out = join(dir, 'callgrind.out');
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${out}.%p`, 'node', loop, root, op, String(n), dir],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const exited = new Promise((r) => child.on('exit', r));
  try {
    await until(join(dir, 'ready'));
    const pid = readFileSync(join(dir, 'ready'), 'utf8');
    execFileSync('callgrind_control', ['-z', pid], { stdio: 'ignore' });
    writeFileSync(join(dir, 'go'), '');
    await until(join(dir, 'done'));
    execFileSync('callgrind_control', ['-d', pid], { stdio: 'ignore' });
    writeFileSync(join(dir, 'exit'), '');
    await exited;
    const files = readdirSync(dir);
    const dump = files.find((f) => f.startsWith(`callgrind.out.${pid}.`));
    if (!dump) throw new Error(`no callgrind dump of the loop in ${dir}: ${files.join(', ')}`);
    const totals = readFileSync(join(dir, dump), 'utf8').match(/^(?:summary|totals): (\d+)/m);
    return Math.round(Number(totals[1]) / n);
  } finally {
    child.kill();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

const ops = opts.ops.split(',');
console.log(`| checkout | ${ops.map((op) => `${op} instructions/call`).join(' | ')} |`);
console.log(`|---|${ops.map(() => '---|').join('')}`);
for (const root of positionals) {
  const cells = [];
  for (const op of ops) cells.push((await count(resolve(root), op)).toLocaleString('en'));
  console.log(`| ${root} | ${cells.join(' | ')} |`);
}
