// Reads newman's CLI report and fails unless the failed assertions are exactly the listed known ones.
// Usage: node .ci/check-newman.mjs <newman log> <known-failures file>
import { readFileSync } from 'node:fs';

const [logPath, knownPath] = process.argv.slice(2);
// eslint-disable-next-line no-control-regex -- strips ANSI colour codes, which start with ESC
const log = readFileSync(logPath, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const known = new Set(
  readFileSync(knownPath, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);

// Each failure in the summary: " N.  AssertionError  <assertion>" … "inside "<folder> / <request>"".
const failures = [];
const pattern = /^\s*\d+\.\s+AssertionError\s+(.+?)\s*$[\s\S]*?inside "(.+?)"/gm;
for (const m of log.matchAll(pattern)) failures.push(`${m[2].trim()}|${m[1].trim()}`);
const totals = /assertions\s*│\s*(\d+)\s*│\s*(\d+)/.exec(log);
if (!totals) {
  console.error('check-newman: no newman summary found (did the run start?)');
  process.exit(1);
}
const [, executed, failed] = totals.map(Number);
const unexpected = failures.filter((f) => !known.has(f));
const fixed = [...known].filter((k) => !failures.includes(k));
console.log(
  `check-newman: ${executed} assertions, ${failed} failed, ${failures.length - unexpected.length} of them known`,
);
if (failures.length !== failed)
  console.error(`check-newman: parsed ${failures.length} failures but newman counted ${failed}`);
for (const f of unexpected) console.error(`unexpected failure: ${f}`);
for (const f of fixed) console.error(`known failure no longer fails (remove it from the list): ${f}`);
process.exit(unexpected.length > 0 || fixed.length > 0 || failures.length !== failed ? 1 : 0);
