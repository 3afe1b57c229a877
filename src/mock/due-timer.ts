/**
 * A timer that never fires before `due` on performance.now()'s clock. libuv counts whole
 * milliseconds and can fire up to about 1 ms early when measured with performance.now(): a mock
 * told to hold the first token for 30 ms would then write it at 29.4 ms, and its own record would
 * not match the timing it promises. A timer that wakes early is armed again for the rest.
 */
export class DueTimer {
  private handle: NodeJS.Timeout | undefined;

  /** Runs `fn` once `performance.now()` has reached `due` (replaces any pending run). */
  at(due: number, fn: () => void): void {
    clearTimeout(this.handle);
    const fire = () => {
      const left = due - performance.now();
      if (left > 0) this.handle = setTimeout(fire, left);
      else fn();
    };
    this.handle = setTimeout(fire, Math.max(0, due - performance.now()));
  }

  clear(): void {
    clearTimeout(this.handle);
  }
}
