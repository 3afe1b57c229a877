import { describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../src/schedule/closed-loop.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { fakeJobs } from './jobs.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('runClosedLoop', () => {
  it('never exceeds the concurrency and runs every job once', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const { dispatched, late } = await runClosedLoop(
      fakeJobs(50),
      { concurrency: 4, stop: new AbortController().signal },
      async (job) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        seen.push(job.index);
        inFlight--;
      },
    );
    expect(dispatched).toBe(50);
    expect(late).toBe(0);
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
  });

  it('pulls jobs lazily: the plan is not drained ahead of the workers', async () => {
    let pulled = 0;
    let maxAhead = 0;
    let finished = 0;
    await runClosedLoop(
      fakeJobs(1000, () => {
        pulled++;
      }),
      { concurrency: 3, stop: new AbortController().signal },
      async () => {
        maxAhead = Math.max(maxAhead, pulled - finished);
        await tick();
        finished++;
      },
    );
    expect(finished).toBe(1000);
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it('stops dispatching when stopped and lets in-flight jobs finish', async () => {
    const stop = new AbortController();
    let completed = 0;
    const { dispatched } = await runClosedLoop(
      fakeJobs(100),
      { concurrency: 2, stop: stop.signal },
      async (job) => {
        if (job.index === 5) stop.abort();
        await tick();
        completed++;
      },
    );
    expect(dispatched).toBeLessThan(100);
    expect(completed).toBe(dispatched);
  });

  it('schedules each job when its slot frees', async () => {
    const clock = new FakeClock(100);
    const stamps: Array<{ index: number; scheduledAt: number; startedAt: number }> = [];
    const result = await clock.run(
      runClosedLoop(
        fakeJobs(5),
        { concurrency: 2, stop: new AbortController().signal, clock },
        async (job, scheduledAt) => {
          stamps.push({ index: job.index, scheduledAt, startedAt: clock.now() });
          await clock.sleep(10 * (job.index + 1));
        },
      ),
    );
    // Slots free at 110 (job 0), 120 (job 1), 140 (job 2 ended: 110 + 30), 160 (job 3: 120 + 40).
    expect(stamps.map((s) => s.scheduledAt)).toEqual([100, 100, 110, 120, 140]);
    expect(stamps.every((s) => s.startedAt === s.scheduledAt)).toBe(true);
    // The loop learns that the jobs ran out when the next slot frees (160): dispatching ends there.
    expect(result).toEqual({ dispatched: 5, late: 0, startedAt: 100, endedAt: 190, dispatchEndedAt: 160 });
  });

  it('raises the slots over a concurrency ramp, re-checking while jobs run', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    const peakBySecond = new Map<number, number>();
    const result = await clock.run(
      runClosedLoop(
        fakeJobs(1_000_000),
        {
          concurrency: { kind: 'ramp', from: 1, to: 10, durationMs: 9000 },
          bounds: { durationMs: 12_000 },
          stop: new AbortController().signal,
          clock,
        },
        async () => {
          inFlight++;
          const second = Math.floor(clock.now() / 1000);
          peakBySecond.set(second, Math.max(peakBySecond.get(second) ?? 0, inFlight));
          // Jobs far longer than the 100 ms re-check: new slots must open while they run.
          await clock.sleep(2500);
          inFlight--;
        },
      ),
    );
    // The ramp adds one slot per second: 1 + floor(t/1000) slots until it holds 10.
    for (const [second, peak] of peakBySecond) expect(peak).toBeLessThanOrEqual(Math.min(10, 1 + second));
    expect(peakBySecond.get(0)).toBe(1);
    expect(peakBySecond.get(4)).toBe(5);
    expect(Math.max(...peakBySecond.values())).toBe(10);
    expect(result.endedAt).toBeLessThanOrEqual(12_000 + 2500);
  });

  it('lowers the slots on a ramp down without cancelling running jobs', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    const startsAfterRamp: number[] = [];
    const result = await clock.run(
      runClosedLoop(
        fakeJobs(1_000_000),
        {
          concurrency: { kind: 'ramp', from: 6, to: 2, durationMs: 1000 },
          bounds: { durationMs: 5000 },
          stop: new AbortController().signal,
          clock,
        },
        async () => {
          inFlight++;
          if (clock.now() >= 1000) startsAfterRamp.push(inFlight);
          await clock.sleep(300);
          inFlight--;
        },
      ),
    );
    expect(startsAfterRamp.length).toBeGreaterThan(0);
    expect(Math.max(...startsAfterRamp)).toBe(2);
    expect(result.dispatched).toBeGreaterThan(6);
  });

  it('stops at the requests bound and at the duration bound', async () => {
    const clock = new FakeClock();
    const options = {
      concurrency: 3,
      stop: new AbortController().signal,
      clock,
    };
    const slowJob = () => clock.sleep(100);
    const byRequests = await clock.run(
      runClosedLoop(fakeJobs(100), { ...options, bounds: { requests: 7 } }, slowJob),
    );
    expect(byRequests.dispatched).toBe(7);

    const byDuration = await clock.run(
      runClosedLoop(fakeJobs(100), { ...options, bounds: { durationMs: 350 } }, slowJob),
    );
    // Three slots start jobs at +0, +100, +200, +300; none at or after +350.
    expect(byDuration.dispatched).toBe(12);
    expect(byDuration.endedAt - byDuration.startedAt).toBe(400);
  });

  it('waits with 0 slots until a ramp opens one', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    await clock.run(
      runClosedLoop(
        fakeJobs(1),
        {
          concurrency: { kind: 'ramp', from: 0, to: 2, durationMs: 1000 },
          stop: new AbortController().signal,
          clock,
        },
        async () => {
          starts.push(clock.now());
        },
      ),
    );
    // One slot exists from t=500; the re-check runs every 100 ms.
    expect(starts).toEqual([500]);
  });

  it('re-raises an executor bug after the other jobs settle', async () => {
    let finished = 0;
    const run = runClosedLoop(
      fakeJobs(6),
      { concurrency: 3, stop: new AbortController().signal },
      async (job) => {
        await tick();
        if (job.index === 0) throw new Error('boom');
        finished++;
      },
    );
    await expect(run).rejects.toThrow('boom');
    expect(finished).toBe(5);
  });

  it('rejects a negative concurrency', async () => {
    await expect(
      runClosedLoop(fakeJobs(1), { concurrency: -1, stop: new AbortController().signal }, async () => {}),
    ).rejects.toThrow(RangeError);
  });
});

describe('runClosedLoop against a server that refuses above its concurrency', () => {
  // 8 slots against a 6-slot server: served jobs take 100 ms, refusals 1 ms (a 429 is near-instant).
  async function overLimit(durationMs: number) {
    const clock = new FakeClock();
    let inServer = 0;
    const sends = { served: 0, refused: 0 };
    const perSecond = new Map<number, number>();
    const result = await clock.run(
      runClosedLoop(
        fakeJobs(1_000_000),
        { concurrency: 8, bounds: { durationMs }, stop: new AbortController().signal, clock },
        async () => {
          const second = Math.floor(clock.now() / 1000);
          perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
          if (inServer >= 6) {
            sends.refused++;
            await clock.sleep(1);
            return 'refused';
          }
          sends.served++;
          inServer++;
          await clock.sleep(100);
          inServer--;
          return undefined;
        },
      ),
    );
    return { result, sends, perSecond };
  }

  it('rests a refused slot for about one served job’s time: sends per slot per second stay bounded', async () => {
    const { sends, perSecond } = await overLimit(10_000);
    // Six slots served all the time: 10 s / 100 ms each.
    expect(sends.served).toBeGreaterThanOrEqual(590);
    // Two slots over the limit, each sending about once per 100 ms (not once per 1-ms 429).
    expect(sends.refused).toBeLessThanOrEqual(2 * 100 + 8);
    // No second sees more than 8 slots × 10 sends (one per 100 ms each), plus the first burst.
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(8 * 10 + 8);
  });

  it('ends on time: a resting slot does not hold the phase past its duration', async () => {
    const { result } = await overLimit(1_000);
    expect(result.dispatchEndedAt).toBe(1_000);
    expect(result.endedAt).toBeLessThanOrEqual(1_100); // the last served jobs finish; rests do not count
  });
});
