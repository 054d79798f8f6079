/**
 * Work a service runs every so often in the background (retention pruning, purges): runs
 * never overlap (a call while one runs gets that run), the timer is unref'd so it never
 * keeps the process alive, and stop() waits for a run in progress, so shutdown never
 * closes the database under it.
 */
export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<T>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True once stop() was called: a long run checks it between batches and ends early. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Runs `work` every `everyMs` (0: never in the background; runNow still works). */
  start(everyMs: number): void {
    if (everyMs <= 0 || this.stopped) return;
    this.timer = setInterval(() => {
      if (!this.running) this.runNow().catch(this.onError);
    }, everyMs);
    this.timer.unref();
  }

  /** The run in progress, or a new run of `work` (tests pass their own, e.g. with a later clock). */
  runNow(work: () => Promise<T> = this.work): Promise<T> {
    this.running ??= work().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
