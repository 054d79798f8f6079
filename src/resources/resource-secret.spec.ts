import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimException } from '../scim/errors/scim.exception.js';
import { ResourceSecrets, type PreparedSecret } from './resource-secret.js';

/** A secret whose preparation is counted, so a test can tell where it ran. */
function counting(): { secrets: ResourceSecrets; prepared: string[] } {
  const prepared: string[] = [];
  const secrets = new ResourceSecrets({
    attribute: 'password',
    column: 'password_hash',
    prepare: (value) => {
      prepared.push(value);
      return Promise.resolve(`hash(${value})`);
    },
  });
  return { secrets, prepared };
}

describe('ResourceSecrets prepares a writeOnly secret outside the transaction (RFC 7643 §7)', () => {
  it('prepares the validated value of POST and PUT; none when the body sets none', async () => {
    const { secrets, prepared } = counting();
    assert.equal(await secrets.prepare({ password: 's3cret' }), 'hash(s3cret)');
    assert.equal(await secrets.prepare({}), null);
    assert.deepEqual(prepared, ['s3cret']);
  });

  it('a PATCH naming no secret skips the committed dry run', async () => {
    const { secrets } = counting();
    let dryRuns = 0;
    const committed = () => {
      dryRuns++;
      return Promise.resolve({ password: 'x' });
    };
    assert.equal(await secrets.forPatch([{ op: 'replace', path: 'displayName', value: 'A' }], committed), undefined);
    assert.equal(dryRuns, 0);
    assert.deepEqual(await secrets.forPatch([{ op: 'replace', value: { PassWord: 'x' } }], committed), {
      value: 'x',
      prepared: 'hash(x)',
    });
    assert.equal(dryRuns, 1);
  });

  it('inside the transaction, uses the prepared secret only for that same value', () => {
    const { secrets } = counting();
    const prepared: PreparedSecret = { value: 'a', prepared: 'hash(a)' };
    assert.equal(secrets.inTransaction({ password: 'a' }, prepared), 'hash(a)');
    assert.equal(secrets.inTransaction({}, prepared), null);
    assert.throws(() => secrets.inTransaction({ password: 'b' }, prepared));
  });

  it('runs a PATCH again with the value the locked document gave, and at most three times', async () => {
    const { secrets, prepared } = counting();
    const seen: (string | undefined)[] = [];
    const outcome = await secrets.retrying(undefined, (p) => {
      seen.push(p?.prepared);
      return Promise.resolve(secrets.inTransaction({ password: 'b' }, p));
    });
    assert.equal(outcome, 'hash(b)');
    assert.deepEqual(seen, [undefined, 'hash(b)']);
    let attempts = 0;
    await assert.rejects(
      secrets.retrying(undefined, () =>
        Promise.resolve(secrets.inTransaction({ password: `v${++attempts}` }, undefined)),
      ),
      (error: unknown) => error instanceof ScimException && error.status === 503,
    );
    assert.equal(attempts, 3);
    assert.deepEqual(prepared, ['b', 'v1', 'v2', 'v3']);
  });
});
