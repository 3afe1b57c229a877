import type { Sleep } from '../../src/schedule/sleep.js';

/**
 * Virtual time for scheduler tests. `sleep` registers a timer; `run(promise)` lets every promise
 * continuation settle, then jumps the clock to the earliest timer and fires it, until the promise
 * settles. Executors in tests wait with the same `sleep`, so a run of minutes takes milliseconds
 * and its timing is exact and deterministic.
 */
interface Timer {
  at: number;
  seq: number;
  wake: () => void;
}

const flushContinuations = async () => {
  // Continuations are microtasks and all run before a macrotask; two turns to be safe.
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export class FakeClock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, wake: () => {} };
      const onAbort = () => {
        this.timers = this.timers.filter((other) => other !== timer);
        resolve();
      };
      timer.wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Infinity means "until aborted": it never fires on its own.
      if (timer.at !== Number.POSITIVE_INFINITY) this.timers.push(timer);
    });

  /** Drives virtual time until `work` settles; fails instead of hanging when nothing is left to fire. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    for (;;) {
      await flushContinuations();
      if (settled) return work;
      const next = this.earliest();
      if (!next) throw new Error(`fake clock: nothing scheduled at t=${this.t} but the work has not settled`);
      this.timers = this.timers.filter((timer) => timer !== next);
      this.t = Math.max(this.t, next.at);
      next.wake();
    }
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
