import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectScimError } from '../setup/scim-assertions.js';
import {
  GROUP_SCHEMA,
  startTestApp,
  userBody,
  usingPostgres,
  type TestApp,
  type TestDirectory,
} from '../setup/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UNKNOWN_ID = '00000000-0000-0000-0000-0000000000aa';

async function createUser(t: TestApp, dir: TestDirectory, userName: string): Promise<string> {
  const res = await t.req('post', `${dir.base}/Users`, dir.token).send(userBody(userName));
  assert.equal(res.status, 201, res.text);
  return res.body.id as string;
}

async function createGroup(t: TestApp, dir: TestDirectory, name: string): Promise<string> {
  const res = await t.req('post', `${dir.base}/Groups`, dir.token).send({ schemas: [GROUP_SCHEMA], displayName: name });
  assert.equal(res.status, 201, res.text);
  return res.body.id as string;
}

const patch = (t: TestApp, dir: TestDirectory, path: string, operations: object[]) =>
  t.req('patch', `${dir.base}/${path}`, dir.token).send({ schemas: [PATCH_OP], Operations: operations });

/** Each directory runs with its own settings; an unset one follows the environment variable. */
describe('Per-directory settings', () => {
  let t: TestApp;
  let relaxed: TestDirectory;
  let strict: TestDirectory;
  let inherits: TestDirectory;
  before(async () => {
    // The environment: RFC-strict PATCH, 200 for group PATCH, unknown members rejected, lax schema.
    t = await startTestApp({ env: { PATCH_LENIENT: 'false', GROUP_PATCH_STATUS: '200', UNKNOWN_MEMBERS: 'reject' } });
    relaxed = await t.createDirectory('relaxed', {
      patchLenient: true,
      groupPatchStatus: 204,
      unknownMembers: 'ignore',
    });
    strict = await t.createDirectory('strict', { strictSchema: true, groupPatchStatus: 200 });
    inherits = await t.createDirectory('inherits');
  });
  after(async () => {
    await t.close();
  });

  it('groupPatchStatus: 204 in one directory, 200 in another and where it follows GROUP_PATCH_STATUS', async () => {
    const member = await createUser(t, relaxed, 'gps.relaxed');
    const g1 = await createGroup(t, relaxed, 'gps-relaxed');
    const no = await patch(t, relaxed, `Groups/${g1}`, [{ op: 'add', path: 'members', value: [{ value: member }] }]);
    assert.equal(no.status, 204, no.text);
    assert.equal(no.text, '');
    for (const dir of [strict, inherits]) {
      const g = await createGroup(t, dir, `gps-${dir.slug}`);
      const res = await patch(t, dir, `Groups/${g}`, [
        { op: 'replace', path: 'displayName', value: `gps2-${dir.slug}` },
      ]);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.displayName, `gps2-${dir.slug}`);
    }
  });

  it('patchLenient: a boolean sent as a string is coerced where lenient, refused where PATCH_LENIENT=false applies', async () => {
    const lenientUser = await createUser(t, relaxed, 'lenient.user');
    const ok = await patch(t, relaxed, `Users/${lenientUser}`, [{ op: 'Replace', path: 'active', value: 'False' }]);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.active, false);
    const rfcUser = await createUser(t, inherits, 'rfc.user');
    const refused = await patch(t, inherits, `Users/${rfcUser}`, [{ op: 'replace', path: 'active', value: 'False' }]);
    expectScimError(refused, 400, 'invalidValue');
  });

  it('unknownMembers: ignored in one directory, 400 where UNKNOWN_MEMBERS=reject applies', async () => {
    const g1 = await createGroup(t, relaxed, 'um-relaxed');
    const skipped = await patch(t, relaxed, `Groups/${g1}`, [
      { op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] },
    ]);
    assert.equal(skipped.status, 204, skipped.text);
    const g2 = await createGroup(t, inherits, 'um-inherits');
    const refused = await patch(t, inherits, `Groups/${g2}`, [
      { op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] },
    ]);
    expectScimError(refused, 400, 'invalidValue');
  });

  it('strictSchema: an unknown attribute is 400 in a strict directory, ignored elsewhere', async () => {
    const refused = await t
      .req('post', `${strict.base}/Users`, strict.token)
      .send(userBody('strict.u', { favouriteColour: 'red' }));
    assert.equal(refused.status, 400, refused.text);
    const accepted = await t
      .req('post', `${inherits.base}/Users`, inherits.token)
      .send(userBody('lax.u', { favouriteColour: 'red' }));
    assert.equal(accepted.status, 201, accepted.text);
    assert.equal(accepted.body.favouriteColour, undefined);
  });

  it('a settings change made here applies to the next request at once', async () => {
    const g = await createGroup(t, inherits, 'change-now');
    const before204 = await patch(t, inherits, `Groups/${g}`, [{ op: 'replace', path: 'displayName', value: 'c1' }]);
    assert.equal(before204.status, 200);
    const changed = await t
      .req('patch', `/admin/directories/${inherits.id}`)
      .send({ settings: { groupPatchStatus: 204 } });
    assert.equal(changed.status, 200, changed.text);
    const after204 = await patch(t, inherits, `Groups/${g}`, [{ op: 'replace', path: 'displayName', value: 'c2' }]);
    assert.equal(after204.status, 204);
    await t.req('patch', `/admin/directories/${inherits.id}`).send({ settings: { groupPatchStatus: null } });
    assert.equal(
      (await patch(t, inherits, `Groups/${g}`, [{ op: 'replace', path: 'displayName', value: 'c3' }])).status,
      200,
    );
  });
});

describe('A directory change made on another instance', () => {
  it('applies here within DIRECTORY_CACHE_TTL_MS', async () => {
    const env = { DIRECTORY_CACHE_TTL_MS: '400' };
    const one = await startTestApp({ env });
    const two = await startTestApp({ env, keepData: true, ...(usingPostgres() ? {} : { sqlitePath: one.sqlitePath }) });
    try {
      const dir = await one.createDirectory('shared');
      const g = await createGroup(two, dir, 'shared-g');
      const op = [{ op: 'replace', path: 'displayName', value: 'x' }];
      assert.equal((await patch(two, dir, `Groups/${g}`, op)).status, 200);
      await one
        .req('patch', `/admin/directories/${dir.id}`)
        .send({ settings: { groupPatchStatus: 204 } })
        .expect(200);
      await one.req('post', `/admin/directories/${dir.id}/disable`).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 450));
      expectScimError(await patch(two, dir, `Groups/${g}`, op), 403);
      await one.req('post', `/admin/directories/${dir.id}/enable`).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 450));
      assert.equal((await patch(two, dir, `Groups/${g}`, op)).status, 204);
    } finally {
      await two.app.close();
      await one.close();
    }
  });
});
