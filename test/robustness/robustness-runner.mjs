#!/usr/bin/env node
// npm run fuzz|crash|load -- [--runs n] [--seed n] [--seconds n]: builds the tests when they are
// missing or older than the sources, then runs the robustness spec files with the matching settings
// (FUZZ_RUNS/FUZZ_SEED, CRASH_RUNS/CRASH_SEED, LOAD_SECONDS/LOAD_SEED). DATABASE_URL selects PostgreSQL.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const SUITES = {
  fuzz: { files: ['fuzz-bodies', 'fuzz-queries', 'injection'], runs: 'FUZZ_RUNS', seed: 'FUZZ_SEED' },
  crash: { files: ['crash'], runs: 'CRASH_RUNS', seed: 'CRASH_SEED' },
  load: { files: ['load'], seconds: 'LOAD_SECONDS', seed: 'LOAD_SEED' },
};

const [suiteName, ...rest] = process.argv.slice(2);
const suite = SUITES[suiteName];
if (!suite) {
  console.error(`usage: robustness-runner.mjs ${Object.keys(SUITES).join('|')} [--runs n] [--seed n] [--seconds n]`);
  process.exit(2);
}
const { values } = parseArgs({
  args: rest,
  options: { runs: { type: 'string' }, seed: { type: 'string' }, seconds: { type: 'string' } },
});

function newest(dir, ext) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, ext));
    else if (entry.name.endsWith(ext)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const built = existsSync('dist-test') ? newest('dist-test', '.js') : 0;
if (built < Math.max(newest('src', '.ts'), newest('test', '.ts'))) {
  console.log('building tests (dist-test/) ...');
  const build = spawnSync('npm', ['run', 'test:build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const env = { ...process.env };
for (const key of ['runs', 'seed', 'seconds']) {
  if (values[key] === undefined) continue;
  if (!/^\d+$/.test(values[key])) {
    console.error(`--${key} must be a non-negative integer`);
    process.exit(2);
  }
  if (!suite[key]) {
    console.error(`--${key} does not apply to ${suiteName}`);
    process.exit(2);
  }
  env[suite[key]] = values[key];
}
const files = suite.files.map((f) => `dist-test/test/robustness/${f}.spec.js`);
console.log(`${suiteName} on ${env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}: ${files.join(' ')}`);
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env,
});
process.exit(run.status ?? 1);
