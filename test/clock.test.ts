import { describe, expect, it } from 'vitest';
import { realSleep } from '../src/clock.js';

describe('realSleep', () => {
  it('waits at least the (rounded-up) delay', async () => {
    const before = performance.now();
    await realSleep(20.2);
    expect(performance.now() - before).toBeGreaterThanOrEqual(20);
  });

  it('ends early, without rejecting, when the signal aborts', async () => {
    const stop = new AbortController();
    const before = performance.now();
    setTimeout(() => stop.abort(), 5);
    await realSleep(60_000, stop.signal);
    expect(performance.now() - before).toBeLessThan(30_000);
    await expect(realSleep(60_000, stop.signal)).resolves.toBeUndefined(); // already aborted
  });

  it('waits for the signal alone when the delay is Infinity', async () => {
    const stop = new AbortController();
    let done = false;
    const sleeping = realSleep(Number.POSITIVE_INFINITY, stop.signal).then(() => {
      done = true;
    });
    await realSleep(20);
    expect(done).toBe(false); // setTimeout(Infinity) would have fired after 1 ms
    stop.abort();
    await sleeping;
    expect(done).toBe(true);
  });

  it('yields one event-loop turn for 0, after pending I/O callbacks of this turn', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    await realSleep(0);
    order.push('slept');
    expect(order).toEqual(['immediate', 'slept']);
  });
});
