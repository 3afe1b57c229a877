import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/plan/types.js';
import { runClosedLoop } from '../../src/schedule/closed-loop.js';

async function* fakeJobs(n: number): AsyncGenerator<Job> {
  for (let i = 0; i < n; i++) yield { index: i, key: String(i) } as Job;
}
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('runClosedLoop', () => {
  it('never exceeds the concurrency and runs every job once', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const { dispatched } = await runClosedLoop(
      fakeJobs(50),
      { concurrency: 4, stop: new AbortController().signal, now: () => performance.now() },
      async (job) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        seen.push(job.index);
        inFlight--;
      },
    );
    expect(dispatched).toBe(50);
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
  });

  it('pulls jobs lazily: the plan is not drained ahead of the workers', async () => {
    let pulled = 0;
    async function* counting() {
      for await (const j of fakeJobs(1000)) {
        pulled++;
        yield j;
      }
    }
    let maxAhead = 0;
    let finished = 0;
    await runClosedLoop(
      counting(),
      { concurrency: 3, stop: new AbortController().signal, now: () => 0 },
      async () => {
        maxAhead = Math.max(maxAhead, pulled - finished);
        await tick();
        finished++;
      },
    );
    expect(maxAhead).toBeLessThanOrEqual(3 * 2 + 1);
  });

  it('stops dispatching when stopped and lets in-flight jobs finish', async () => {
    const stop = new AbortController();
    let completed = 0;
    const { dispatched } = await runClosedLoop(
      fakeJobs(100),
      { concurrency: 2, stop: stop.signal, now: () => 0 },
      async (job) => {
        if (job.index === 5) stop.abort();
        await tick();
        completed++;
      },
    );
    expect(dispatched).toBeLessThan(100);
    expect(completed).toBe(dispatched);
  });

  it('reports when a job was scheduled and dispatched', async () => {
    let t = 0;
    const stamps: Array<{ scheduledAt: number; dispatchedAt: number }> = [];
    await runClosedLoop(
      fakeJobs(3),
      { concurrency: 1, stop: new AbortController().signal, now: () => ++t },
      async (_j, d) => {
        stamps.push(d);
      },
    );
    for (const s of stamps) expect(s.dispatchedAt).toBeGreaterThanOrEqual(s.scheduledAt);
  });
});
