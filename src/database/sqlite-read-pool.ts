import { Worker } from 'node:worker_threads';
import { ScimException } from '../scim/errors/scim.exception.js';
import type { ReadJob, ReadOutcome } from './sqlite-read.worker.js';

interface Pending {
  readonly job: ReadJob;
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
  timer?: NodeJS.Timeout;
}

/** An error from a worker's connection, with SQLite's code kept (the cause stays in the log). */
class SqliteReadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const WORKER_URL = new URL('./sqlite-read.worker.js', import.meta.url);

/**
 * Reads that can scan run here, on a few worker threads with read-only connections (WAL
 * lets them read beside the writer), so the main thread keeps answering. The bound on their
 * number is `size` running plus `queueLimit` waiting, beyond which a read is 503 with
 * Retry-After (RFC 9110 §15.6.4). The bound on one read's time is `timeoutMs` (QUERY_TIMEOUT_MS,
 * as on PostgreSQL): a running SQLite step cannot be interrupted from outside its thread, so a
 * read past it is answered 503 at once and its worker is retired (terminated once the step
 * returns) and replaced, so the reads queued behind it go on. At most `size` retired workers
 * may still be running; beyond that the slot waits for its own. Workers start on first use.
 */
export class SqliteReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private retired = 0;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly queueLimit: number,
    private readonly timeoutMs = 0,
  ) {}

  run(sql: string, args: unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the read pool is closed'));
    return new Promise((resolve, reject) => {
      const pending: Pending = { job: { id: this.nextId++, sql, args }, resolve, reject };
      const slot = this.idleSlot();
      if (slot) return this.start(slot, pending);
      if (this.queue.length >= this.queueLimit) {
        return reject(ScimException.serviceUnavailable('The server is busy with other searches; retry the request'));
      }
      this.queue.push(pending);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the read pool is closed'));
    for (const slot of this.slots) clearTimeout(slot.timer);
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((slot) => !slot.busy);
    if (idle || this.slots.length >= this.size) return idle;
    const slot: Slot = { worker: this.spawn() };
    this.slots.push(slot);
    this.watch(slot);
    return slot;
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: { path: this.path } });
    // An idle pool must not keep the process alive.
    worker.unref();
    return worker;
  }

  private watch(slot: Slot): void {
    const worker = slot.worker;
    worker.on('message', (outcome: ReadOutcome) => {
      // A retired worker's late answer: its read was already answered 503.
      if (slot.worker !== worker) return;
      clearTimeout(slot.timer);
      const pending = slot.busy;
      slot.busy = undefined;
      if (pending) {
        if ('rows' in outcome) pending.resolve(outcome.rows);
        else pending.reject(new SqliteReadError(outcome.error.message, outcome.error.code));
      }
      this.drain(slot);
      if (!slot.busy) slot.worker.unref();
    });
    worker.on('error', (error) => {
      if (slot.worker === worker) this.replace(slot, error);
    });
  }

  /** A read past timeoutMs: answered 503 now; its worker retired and replaced when the bound allows. */
  private timedOut(slot: Slot, pending: Pending): void {
    if (slot.busy !== pending) return;
    pending.reject(
      ScimException.serviceUnavailable(
        'The query ran longer than the server allows (QUERY_TIMEOUT_MS); retry later or narrow the filter',
      ),
    );
    if (this.retired >= this.size) return; // the slot stays busy until its own worker answers
    const old = slot.worker;
    this.retired++;
    void old.terminate().finally(() => this.retired--);
    slot.busy = undefined;
    slot.worker = this.spawn();
    this.watch(slot);
    this.drain(slot);
  }

  /** A worker that died fails its read only; a new one takes its place. */
  private replace(slot: Slot, error: unknown): void {
    clearTimeout(slot.timer);
    const pending = slot.busy;
    slot.busy = undefined;
    pending?.reject(error);
    if (this.closed) return;
    slot.worker = this.spawn();
    this.watch(slot);
    this.drain(slot);
  }

  private drain(slot: Slot): void {
    const next = this.queue.shift();
    if (next) this.start(slot, next);
  }

  private start(slot: Slot, pending: Pending): void {
    slot.busy = pending;
    slot.worker.ref();
    slot.worker.postMessage(pending.job);
    if (this.timeoutMs > 0) slot.timer = setTimeout(() => this.timedOut(slot, pending), this.timeoutMs);
  }
}
