import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { rawRequest, type RawResponse } from './raw-request.js';
import {
  describeExchange,
  fuzzSettings,
  includeKnownFaults,
  integrityProblems,
  responseViolation,
  VersionTracker,
  watchEventLoop,
} from './robustness-checks.js';
import { SCIM_JSON, type TestApp } from './test-app.js';

/** One generated request; `check` adds a property of its own (e.g. "this credential is refused"). */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Sent as is (already JSON text, possibly malformed). */
  readonly body?: string;
  /** Leave out the default Authorization header (the request sets its own or none). */
  readonly noAuth?: boolean;
  readonly check?: (res: RawResponse) => string | undefined;
  /** Requests sent first (their answers are held to the same properties), e.g. data that the request reads. */
  readonly prelude?: readonly FuzzRequest[];
}

export interface NamedGenerator {
  readonly arbitrary: fc.Arbitrary<FuzzRequest>;
  /** Relative frequency; costly generators (thousands of elements) get less. */
  readonly weight?: number;
}

/**
 * A generator left out until the fault it hits is fixed: the issue's fault number, and
 * the dialect if only one. With `matches`, the entry leaves out the requests of every
 * generator that it matches instead (an input shape, not a generator, hits the fault).
 */
export interface KnownFault {
  readonly fault: number | 'NEW';
  readonly dialect?: 'sqlite' | 'postgres';
  readonly note: string;
  readonly matches?: (r: FuzzRequest) => boolean;
}

/** Event-loop delay that counts as a stall: seconds, not noise (the app runs in this process). */
export const MAX_EVENT_LOOP_DELAY_MS = 1_000;

export const json = (value: unknown): string => JSON.stringify(value);

export function send(t: TestApp, r: FuzzRequest): Promise<RawResponse> {
  const headers: Record<string, string> = {
    ...(r.noAuth ? {} : { Authorization: `Bearer ${t.token}` }),
    ...(r.body !== undefined ? { 'Content-Type': SCIM_JSON } : {}),
    ...r.headers,
  };
  return rawRequest(t.url, {
    method: r.method,
    path: r.path,
    headers,
    ...(r.body !== undefined ? { body: r.body } : {}),
  });
}

/** Versions of every resource a response carries (a resource, or a ListResponse's Resources). */
function observeVersions(versions: VersionTracker, res: RawResponse): string | undefined {
  if (res.status >= 300) return undefined;
  const body = res.json as { Resources?: unknown[] } | undefined;
  for (const resource of Array.isArray(body?.Resources) ? body.Resources : [body]) {
    const violation = versions.observe(resource);
    if (violation) return violation;
  }
  return undefined;
}

/**
 * Runs the enabled generators against the app with the response properties, then the
 * event-loop bound and the database integrity check. A failure names the seed, the
 * generator and the (shrunk) request with the answer it got.
 */
export async function runFuzz(
  ctx: TestContext,
  t: TestApp,
  generators: Record<string, NamedGenerator>,
  known: Record<string, KnownFault>,
  defaultRuns: number,
): Promise<void> {
  const { runs, seed } = fuzzSettings(defaultRuns);
  const excluded = (name: string): boolean => {
    const entry = known[name];
    return !includeKnownFaults() && entry !== undefined && (entry.dialect === undefined || entry.dialect === t.dialect);
  };
  // FUZZ_ONLY=a,b runs just those generators (known faults included), to study one at a time.
  const only = process.env['FUZZ_ONLY']?.split(',').filter((n) => n !== '');
  const enabled = Object.entries(generators).filter(([name]) => (only ? only.includes(name) : !excluded(name)));
  const shapes = Object.entries(known)
    .filter(([name, k]) => k.matches && excluded(name))
    .map(([, k]) => k.matches!);
  if (enabled.length === 0)
    return void ctx.diagnostic(`no generator of this file selected by FUZZ_ONLY=${only?.join(',')}`);
  const skipped = Object.keys(known).filter(excluded);
  const arbitrary = fc
    .oneof(...enabled.map(([name, g]) => ({ weight: g.weight ?? 4, arbitrary: g.arbitrary.map((r) => ({ name, r })) })))
    .filter(({ r }) => !shapes.some((matches) => matches(r)));
  const versions = new VersionTracker();
  const statuses = new Map<number, number>();
  const loop = watchEventLoop();
  let failure = '';
  let slowest = { ms: 0, what: '' };
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async ({ name, r }) => {
      for (const p of r.prelude ?? []) {
        const res = await send(t, p);
        const violation = responseViolation(res) ?? p.check?.(res);
        if (violation) {
          failure = `[${name}] prelude ${violation}: ${describeExchange(p, res)}`;
          return false;
        }
      }
      const started = performance.now();
      const res = await send(t, r);
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { ms, what: `[${name}] ${describeExchange(r, res).slice(0, 160)}` };
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const violation = responseViolation(res) ?? r.check?.(res) ?? observeVersions(versions, res);
      if (violation) failure = `[${name}] ${violation}: ${describeExchange(r, res)}`;
      return violation === undefined;
    }),
    { numRuns: runs, seed, endOnFailure: false, maxSkipsPerRun: 100 },
  );
  loop.stop();
  const worst = loop.maxMs();
  ctx.diagnostic(
    `seed ${seed}, ${details.numRuns} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}, worst event-loop delay ${worst.toFixed(0)} ms`,
  );
  ctx.diagnostic(`slowest case ${slowest.ms.toFixed(0)} ms: ${slowest.what}`);
  if (skipped.length > 0) ctx.diagnostic(`left out until their fault is fixed: ${skipped.join(', ')}`);
  assert.ok(
    !details.failed,
    `property failed (FUZZ_SEED=${seed}, counterexample path ${details.counterexamplePath}) after ${details.numRuns} cases; shrunk: ${failure}${details.errorInstance ? ` error: ${inspect(details.errorInstance)}` : ''}`,
  );
  assert.ok(worst <= MAX_EVENT_LOOP_DELAY_MS, `event loop stalled ${worst.toFixed(0)} ms (seed ${seed})`);
  assert.deepEqual(await integrityProblems(t, versions), []);
}
