// GET /Users/{id} in the default directory, through the service layer, with one directory and
// with BENCH_DIRECTORIES (100) directories present, each holding BENCH_USERS_PER_DIRECTORY (100)
// users with the same userNames: the directory leads every index, so the two must cost alike.
// SQLite: two apps in ONE process, interleaved rounds, medians. PostgreSQL (DATABASE_URL): one
// database, so the rounds with one directory run first, then the others are added.
// Needs `npm run test:build`. Usage: taskset -c 0 node bench/directories.js [--rounds 12]
import { parseArgs } from 'node:util';
import { startTestApp, userBody } from '../dist-test/test/setup/test-app.js';
import { UsersService } from '../dist-test/src/users/users.service.js';
import { DEFAULT_DIRECTORY, SYSTEM_PRINCIPAL } from '../dist-test/src/common/http/scim-context.js';
import { toDriverQuery } from '../dist-test/src/database/sql-reader.js';

const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '12' } } });
const DIRECTORIES = Number(process.env.BENCH_DIRECTORIES ?? 100);
const PER_DIRECTORY = Number(process.env.BENCH_USERS_PER_DIRECTORY ?? 100);
const postgres = Boolean(process.env.DATABASE_URL);

const context = (directory) => ({
  baseUrl: 'http://127.0.0.1/scim/v2',
  requestId: 'bench',
  principal: SYSTEM_PRINCIPAL,
  directory,
});

async function fill(t, users, directory) {
  const ctx = context(directory);
  const projection = users.projection(undefined, undefined, ctx);
  const ids = [];
  for (let i = 0; i < PER_DIRECTORY; i++) {
    const body = userBody(`user${i}@example.com`, { emails: [{ value: `user${i}@example.com`, type: 'work' }] });
    ids.push((await users.create(body, projection, ctx)).resource.id);
  }
  return ids;
}

async function addDirectories(t, users) {
  const now = new Date().toISOString();
  for (let id = 2; id <= DIRECTORIES; id++) {
    await t.db.query(
      ...toDriverQuery(
        t.dialect,
        `INSERT INTO directories (id, slug, display_name, settings, disabled, created, last_modified, version)
         VALUES ($1, $2, $3, '{}', $4, $5, $5, 1)`,
        [id, `bench-${id}`, `Bench ${id}`, false, now],
      ),
    );
    await fill(t, users, { id, slug: `bench-${id}`, settings: {} });
  }
}

async function setup(name) {
  const t = await startTestApp();
  if (postgres) await t.db.query('DELETE FROM directories WHERE id > 1');
  const users = t.app.get(UsersService);
  const ctx = context(DEFAULT_DIRECTORY);
  const projection = users.projection(undefined, undefined, ctx);
  const ids = await fill(t, users, DEFAULT_DIRECTORY);
  let k = 0;
  return {
    name,
    t,
    users,
    close: async () => {
      if (postgres) await t.db.query('DELETE FROM directories WHERE id > 1');
      await t.close();
    },
    get: () => users.get(ids[k++ % ids.length], projection, ctx),
  };
}

async function batch(app, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await app.get();
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return +(s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2).toFixed(1);
};

const rounds = Number(opts.rounds);
const rows = [];
if (postgres) {
  const app = await setup('1 directory');
  await batch(app, 2000);
  const one = [];
  for (let r = 0; r < rounds; r++) one.push(await batch(app, 3000));
  await addDirectories(app.t, app.users);
  await batch(app, 2000);
  const many = [];
  for (let r = 0; r < rounds; r++) many.push(await batch(app, 3000));
  rows.push(['1 directory', median(one)], [`${DIRECTORIES} directories`, median(many)]);
  await app.close();
} else {
  const apps = [await setup('1 directory'), await setup(`${DIRECTORIES} directories`)];
  await addDirectories(apps[1].t, apps[1].users);
  const samples = apps.map(() => []);
  for (const app of apps) await batch(app, 2000);
  for (let r = 0; r < rounds; r++) {
    for (const i of r % 2 ? [1, 0] : [0, 1]) samples[i].push(await batch(apps[i], 3000));
  }
  apps.forEach((app, i) => rows.push([app.name, median(samples[i])]));
  for (const app of apps) await app.close();
}
console.log(
  `| ${postgres ? 'PostgreSQL' : 'SQLite'}, ${PER_DIRECTORY} users each | GET /Users/{id} µs (median) |\n|---|---|`,
);
for (const [name, us] of rows) console.log(`| ${name} | ${us} |`);
