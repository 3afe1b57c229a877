/**
 * Fake monotonic time for limiter tests: timers fire in order as the test advances the clock, and
 * promise continuations run between timers, so async code behaves as it would in real time.
 */
interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

export class FakeClock {
  private t = 0;
  private seq = 0;
  /** Sorted by (at, seq): timers set for the same instant fire in the order they were set. */
  private timers: PendingTimer[] = [];

  readonly now = (): number => this.t;

  readonly setTimer = (fn: () => void, ms: number): { cancel(): void } => {
    const timer: PendingTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timers[mid]!.at <= timer.at) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  };

  readonly sleep = (ms: number): Promise<void> => new Promise((resolve) => this.setTimer(resolve, ms));

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.t + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await flushMicrotasks();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      if (next.cancelled) continue;
      this.t = Math.max(this.t, next.at);
      next.fn();
      await flushMicrotasks();
    }
    this.t = Math.max(this.t, target);
    await flushMicrotasks();
  }
}

/** Small seeded PRNG (mulberry32) so simulations are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
