import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeriodicJob } from './periodic-job.js';

const unexpected = (error: unknown): void => assert.fail(String(error));

function deferred(): { promise: Promise<number>; resolve: (n: number) => void } {
  let resolve!: (n: number) => void;
  const promise = new Promise<number>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PeriodicJob', () => {
  it('never overlaps runs: a call while one runs gets that run', async () => {
    let calls = 0;
    const gate = deferred();
    const job = new PeriodicJob(() => (calls++, gate.promise), unexpected);
    const first = job.runNow();
    const second = job.runNow(() => Promise.resolve(99));
    gate.resolve(7);
    assert.deepEqual(await Promise.all([first, second]), [7, 7]);
    assert.equal(calls, 1);
    assert.equal(await job.runNow(() => Promise.resolve(99)), 99, 'after it ended, a new run starts');
  });

  it('stop() waits for the run in progress and says so to it; start(0) and start after stop run nothing', async () => {
    const gate = deferred();
    let sawStopping = false;
    const job = new PeriodicJob(async () => {
      const n = await gate.promise;
      sawStopping = job.stopping;
      return n;
    }, unexpected);
    job.start(0);
    void job.runNow();
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false);
    gate.resolve(1);
    await stopping;
    assert.equal(sawStopping, true);
    job.start(1);
    await new Promise((r) => setTimeout(r, 10));
  });

  it('runs on its interval and hands a failure to onError', async () => {
    const errors: unknown[] = [];
    const job = new PeriodicJob(
      () => Promise.reject(new Error('boom')),
      (e) => errors.push(e),
    );
    job.start(1);
    for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    await job.stop();
    assert.ok(errors.length >= 1);
    assert.match(String(errors[0]), /boom/);
  });
});
