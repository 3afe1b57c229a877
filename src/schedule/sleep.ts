/**
 * Waits `ms` milliseconds, or less when `signal` aborts (it then resolves, never rejects: a stop is
 * the normal way out of a wait). `ms <= 0` yields one event-loop turn; `Infinity` waits for the
 * signal alone. Schedulers take this as an option so tests can run them on a fake clock.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

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
