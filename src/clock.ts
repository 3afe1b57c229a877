/**
 * The one source of time for the run engine: schedulers, limiter, job runner and session all take
 * a `Clock`, so every one of them runs on fake time in tests (test/helpers/fake-clock.ts) and on
 * this real clock otherwise. Only the client's per-attempt deadlines keep their own timers: they
 * guard real sockets.
 */

/**
 * Waits `ms` milliseconds, or less when `signal` aborts (it then resolves, never rejects: a stop is
 * the normal way out of a wait). `ms <= 0` yields one event-loop turn; `Infinity` waits for the
 * signal alone.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A pending one-shot timer; cancelling it twice, or after it fired, does nothing. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Monotonic time in ms (`performance.now()`): every timestamp of a run. */
  readonly now: () => number;
  /**
   * Wall-clock time, epoch ms (`Date.now()`). Only for what the server dates in calendar time:
   * an HTTP-date `Retry-After`. Never used for durations (it can jump).
   */
  readonly wallNow: () => number;
  readonly sleep: Sleep;
  /** Calls `fn` once after `ms`. Keeps the process alive while pending: a waiting run must not exit. */
  readonly setTimer: (fn: () => void, ms: number) => TimerHandle;
}

/** setTimeout refuses longer delays (it fires after 1 ms instead); callers re-check and sleep again. */
const LONGEST_TIMER_MS = 2_147_483_647;

/**
 * The real timer. Delays are rounded UP to whole milliseconds: Node's timers have 1 ms
 * resolution and, measured with performance.now(), fire up to ~0.5 ms early when given a
 * fractional delay, which would dispatch arrivals before their time. Spinning on setImmediate for
 * the sub-ms remainder was measured too: it cut the median lag from ~0.6 ms to ~0 at 1000 req/s
 * but pinned a core at 100 %, so it is not worth it for a load generator (see open-loop.ts).
 * `ms <= 0` uses setImmediate so that a scheduler that has fallen behind can let I/O run
 * without waiting a whole timer tick.
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    let timeout: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    const finish = () => {
      if (timeout) clearTimeout(timeout);
      if (immediate) clearImmediate(immediate);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    if (!(ms > 0)) immediate = setImmediate(finish);
    else if (ms !== Number.POSITIVE_INFINITY)
      timeout = setTimeout(finish, Math.min(Math.ceil(ms), LONGEST_TIMER_MS));
    signal?.addEventListener('abort', finish, { once: true });
  });

export const realClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep: realSleep,
  setTimer: (fn: () => void, ms: number): TimerHandle => {
    const handle = setTimeout(fn, Math.min(Math.max(0, ms), LONGEST_TIMER_MS));
    return { cancel: () => clearTimeout(handle) };
  },
});
