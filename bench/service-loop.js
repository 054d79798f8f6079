// The child of service-instructions.js: one checkout's service layer in a loop of PATCH or
// GET /Users/{id} calls. After a warm-up it signals `ready` (a file), waits for `go` while the
// parent zeroes callgrind's counters, runs the measured loop, signals `done` and waits for
// `exit` while the parent dumps the counters: the dump holds the loop alone.
// Usage (by the driver): node bench/service-loop.js <checkout> <patch|get> <n> <signal dir>
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [root, op, count, signals] = process.argv.slice(2);
const n = Number(count);
const waitFor = (name) =>
  new Promise((done) => {
    const poll = () => (existsSync(join(signals, name)) ? done() : setTimeout(poll, 50));
    poll();
  });

const dir = resolve(root);
const { startTestApp, userBody } = await import(`${dir}/dist-test/test/setup/test-app.js`);
const { UsersService } = await import(`${dir}/dist-test/src/users/users.service.js`);
const context = await import(`${dir}/dist-test/src/common/http/scim-context.js`);
// BENCH_APP_ENV: the app's environment as JSON, e.g. {"AUDIT_LOG":"off"} for a feature's cost.
const t = await startTestApp({ env: JSON.parse(process.env.BENCH_APP_ENV ?? '{}') });
const users = t.app.get(UsersService);
// Older checkouts have no principal or directory in the context.
const ctx = {
  baseUrl: 'http://127.0.0.1/scim/v2',
  requestId: 'bench',
  ...(context.SYSTEM_PRINCIPAL ? { principal: context.SYSTEM_PRINCIPAL, directory: context.DEFAULT_DIRECTORY } : {}),
};
const projection = users.projection(undefined, undefined, ctx);
const created = await t
  .req('post', '/scim/v2/Users')
  .set('Content-Type', 'application/scim+json')
  .send({
    ...userBody('bench@example.com'),
    displayName: 'Bench',
    active: true,
    emails: [{ value: 'bench@example.com', type: 'work', primary: true }],
  });
const id = created.body.id;
let k = 0;
const call =
  op === 'get'
    ? () => users.get(id, projection, ctx)
    : () => users.patch(id, [{ op: 'replace', path: 'active', value: k++ % 2 === 0 }], projection, ctx);
// Warm-up, so that the measured loop runs optimised code.
for (let i = 0; i < 1500; i++) await call();
writeFileSync(join(signals, 'ready'), String(process.pid));
await waitFor('go');
for (let i = 0; i < n; i++) await call();
writeFileSync(join(signals, 'done'), '');
await waitFor('exit');
await t.close();
process.exit(0);
