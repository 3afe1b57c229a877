import type { Clock, Sleep, TimerHandle } from '../../src/clock.js';

/**
 * Virtual time for every test of the run engine: the same `Clock` the schedulers, limiter, job
 * runner and session take in production. Timers fire in (time, creation) order, and all promise
 * continuations settle between two timers, so async code behaves as it would in real time while a
 * run of minutes takes milliseconds, with exact and deterministic timing.
 *
 * Two ways to drive it: `advance(ms)` / `advanceTo(t)` move time by a set amount (the test decides
 * how far), `run(work)` moves it from timer to timer until `work` settles.
 */
interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/** Wall time at fake time 0: an arbitrary fixed date, so HTTP-date Retry-After tests are exact. */
export const FAKE_WALL_START = Date.UTC(2025, 0, 1);

const flushContinuations = async () => {
  // Continuations are microtasks and all run before a macrotask; two turns also let a
  // continuation's own continuations (await chains through helpers) settle.
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  /** Sorted by (at, seq). */
  private timers: Timer[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  readonly wallNow = (): number => FAKE_WALL_START + this.t;

  readonly setTimer = (fn: () => void, ms: number): TimerHandle => {
    const timer = this.add(this.t + Math.max(0, ms), fn);
    return { cancel: () => this.remove(timer) };
  };

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      let timer: Timer | undefined;
      const onAbort = () => {
        if (timer) this.remove(timer);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Infinity means "until aborted": it never fires on its own.
      if (ms === Number.POSITIVE_INFINITY) return;
      timer = this.add(this.t + Math.max(0, ms), () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.t + ms);
  }

  /** Fires every timer due by `target` in order, letting continuations run after each. */
  async advanceTo(target: number): Promise<void> {
    await flushContinuations();
    for (let next = this.timers[0]; next && next.at <= target; next = this.timers[0]) {
      this.fireNext();
      await flushContinuations();
    }
    this.t = Math.max(this.t, target);
    await flushContinuations();
  }

  /** Drives time until `work` settles; fails instead of hanging when nothing is left to fire. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const mark = () => {
      settled = true;
    };
    work.then(mark, mark);
    for (;;) {
      await flushContinuations();
      if (settled) return work;
      if (this.timers.length === 0) {
        throw new Error(`fake clock: nothing scheduled at t=${this.t} but the work has not settled`);
      }
      this.fireNext();
    }
  }

  private fireNext(): void {
    const next = this.timers.shift()!;
    this.t = Math.max(this.t, next.at);
    next.fire();
  }

  private add(at: number, fire: () => void): Timer {
    const timer: Timer = { at, seq: this.seq++, fire };
    // Binary search for the first timer due later: equal times keep their creation order.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timers[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer;
  }

  private remove(timer: Timer): void {
    const index = this.timers.indexOf(timer);
    if (index >= 0) this.timers.splice(index, 1);
  }
}
