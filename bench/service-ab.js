// Per-request cost of PATCH and GET /Users/{id} inside the service layer, for two checkouts in
// ONE process, so that HTTP and process-level noise (CPU frequency, placement) hit both alike.
// Both checkouts need `npm run test:build` (it loads their dist-test). Each round runs a batch
// on each app in turn, alternating which goes first; medians are printed.
// Usage: taskset -c 0 node bench/service-ab.js <checkout A> <checkout B> [--rounds 12]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '12' } },
});
if (positionals.length !== 2) throw new Error('usage: node bench/service-ab.js <checkout A> <checkout B>');

async function setup(root) {
  const { startTestApp, userBody } = await import(`${root}/dist-test/test/setup/test-app.js`);
  const { UsersService } = await import(`${root}/dist-test/src/users/users.service.js`);
  const context = await import(`${root}/dist-test/src/common/http/scim-context.js`);
  const t = await startTestApp();
  const users = t.app.get(UsersService);
  // Older checkouts have no principal or directory in the context.
  const ctx = {
    baseUrl: 'http://127.0.0.1/scim/v2',
    requestId: 'bench',
    ...(context.SYSTEM_PRINCIPAL ? { principal: context.SYSTEM_PRINCIPAL, directory: context.DEFAULT_DIRECTORY } : {}),
  };
  const projection = users.projection(undefined, undefined, ctx);
  const body = { ...userBody('bench@example.com'), displayName: 'Bench', active: true };
  const created = await t
    .req('post', '/scim/v2/Users')
    .set('Content-Type', 'application/scim+json')
    .send({ ...body, emails: [{ value: 'bench@example.com', type: 'work', primary: true }] });
  const id = created.body.id;
  let k = 0;
  return {
    root,
    close: () => t.close(),
    patch: () => users.patch(id, [{ op: 'replace', path: 'active', value: k++ % 2 === 0 }], projection, ctx),
    get: () => users.get(id, projection, ctx),
  };
}

async function batch(app, op, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await app[op]();
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return +(s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2).toFixed(1);
};

const apps = [];
for (const root of positionals) apps.push(await setup(resolve(root)));
const samples = apps.map(() => ({ patch: [], get: [] }));
for (const app of apps) {
  await batch(app, 'patch', 500);
  await batch(app, 'get', 2000);
}
for (let r = 0; r < Number(opts.rounds); r++) {
  const order = r % 2 ? [1, 0] : [0, 1];
  for (const i of order) {
    samples[i].patch.push(await batch(apps[i], 'patch', 400));
    samples[i].get.push(await batch(apps[i], 'get', 3000));
  }
}
console.log('| checkout | PATCH µs (median) | GET µs (median) |\n|---|---|---|');
apps.forEach((app, i) => console.log(`| ${app.root} | ${median(samples[i].patch)} | ${median(samples[i].get)} |`));
for (const app of apps) await app.close();
