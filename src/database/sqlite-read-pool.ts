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
 * lets them read beside the writer), so the main thread keeps answering. A running SQLite
 * step cannot be interrupted, so the bound on one read is the filter cost budget; the bound
 * on their number is `size` running plus `queueLimit` waiting, beyond which a read is
 * 503 with Retry-After (RFC 9110 §15.6.4). Workers start on first use.
 */
export class SqliteReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly queueLimit: number,
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
    slot.worker.on('message', (outcome: ReadOutcome) => {
      const pending = slot.busy;
      slot.busy = undefined;
      if (pending) {
        if ('rows' in outcome) pending.resolve(outcome.rows);
        else pending.reject(new SqliteReadError(outcome.error.message, outcome.error.code));
      }
      this.drain(slot);
      if (!slot.busy) slot.worker.unref();
    });
    slot.worker.on('error', (error) => this.replace(slot, error));
  }

  /** A worker that died fails its read only; a new one takes its place. */
  private replace(slot: Slot, error: unknown): void {
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
  }
}
