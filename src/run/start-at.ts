import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until `startAtMs` (wall clock, epoch ms) so that shards on several machines start together
 * (`--start-at`). Returns how late this process was: 0 when it waited, else the ms it began after
 * the mark. A stop (Ctrl-C) ends the wait early. Wall clock, not the run's monotonic clock: the
 * mark is shared between machines, and only their wall clocks agree (to within their skew).
 */
export async function waitForStart(
  startAtMs: number,
  stop?: AbortSignal,
  now: () => number = Date.now,
): Promise<number> {
  const wait = startAtMs - now();
  if (wait <= 0) return -wait;
  try {
    await sleep(wait, undefined, stop ? { signal: stop } : {});
  } catch {
    // Stopped while waiting: the run starts and ends at once, with everything written.
  }
  return 0;
}
