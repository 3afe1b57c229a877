import { describe, expect, it } from 'vitest';
import { runOpenLoop } from '../../src/schedule/open-loop.js';
import { fakeJobs, percentile } from './jobs.js';

describe('runOpenLoop on real timers', () => {
  it('offers 200 req/s for 1 s with a low dispatch lag', async () => {
    const lags: number[] = [];
    const scheduled: number[] = [];
    const result = await runOpenLoop(
      fakeJobs(1_000_000),
      {
        rate: { kind: 'constant', value: 200 },
        arrival: { kind: 'constant' },
        seed: 1,
        bounds: { durationMs: 1000 },
        stop: new AbortController().signal,
        onDispatchLag: (lag) => lags.push(lag),
      },
      async (_job, scheduledAt) => {
        scheduled.push(scheduledAt);
        await Promise.resolve();
      },
    );
    expect(result.dispatched).toBeGreaterThanOrEqual(190);
    expect(result.dispatched).toBeLessThanOrEqual(210);
    expect(lags).toHaveLength(result.dispatched);
    // Timers are rounded up, so an arrival never starts before its time.
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
    expect(percentile(lags, 99)).toBeLessThan(20); // loose: a shared 2-core machine
    expect(scheduled[1]! - scheduled[0]!).toBeCloseTo(5, 9);
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(1000);
  });
});
