import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/plan/types.js';
import { type OpenLoopOptions, runOpenLoop } from '../../src/schedule/open-loop.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { fakeJobs } from './jobs.js';

interface Start {
  index: number;
  scheduledAt: number;
  startedAt: number;
}

/** Runs an open loop on a fake clock; each job takes `serviceMs` of virtual time. */
async function simulate(
  overrides: Partial<OpenLoopOptions> & {
    jobs?: AsyncIterable<Job>;
    serviceMs?: number;
    startAt?: number;
  } = {},
) {
  const clock = new FakeClock(overrides.startAt ?? 1000);
  const starts: Start[] = [];
  const lags: number[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  let finished = 0;
  const { jobs = fakeJobs(1_000_000), serviceMs = 0, ...rest } = overrides;
  const options: OpenLoopOptions = {
    rate: { kind: 'constant', value: 10 },
    arrival: { kind: 'constant' },
    seed: 1,
    bounds: {},
    stop: new AbortController().signal,
    clock,
    onDispatchLag: (lag) => lags.push(lag),
    ...rest,
  };
  const result = await clock.run(
    runOpenLoop(jobs, options, async (job, scheduledAt) => {
      starts.push({ index: job.index, scheduledAt, startedAt: clock.now() });
      peakInFlight = Math.max(peakInFlight, ++inFlight);
      if (serviceMs > 0) await clock.sleep(serviceMs);
      inFlight--;
      finished++;
    }),
  );
  return { result, starts, lags, peakInFlight, finished, clock };
}

describe('runOpenLoop', () => {
  it('starts constant-rate arrivals exactly at their intended times', async () => {
    const { result, starts, lags } = await simulate({ bounds: { requests: 20 } });
    expect(result.dispatched).toBe(20);
    expect(starts.map((s) => s.scheduledAt)).toEqual(starts.map((_, i) => 1000 + 100 * i));
    expect(starts.map((s) => s.startedAt)).toEqual(starts.map((s) => s.scheduledAt));
    expect(starts.map((s) => s.index)).toEqual([...Array(20).keys()]);
    expect(lags).toEqual(Array(20).fill(0));
    expect(result.late).toBe(0);
    expect(result.startedAt).toBe(1000);
  });

  it('dispatches no arrival intended at or after start + duration, and lasts the whole duration', async () => {
    const { result, starts } = await simulate({ bounds: { durationMs: 1000 }, serviceMs: 30 });
    expect(starts.map((s) => s.scheduledAt - 1000)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(result.targetRate).toBe(10);
    expect(result.achievedRate).toBe(10);
    expect(result.endedAt).toBe(2000); // the deadline; the last job (900 + 30) ended before it
  });

  it('stops at the requests bound or when the jobs run out, whichever is first', async () => {
    expect((await simulate({ bounds: { requests: 7, durationMs: 60_000 } })).result.dispatched).toBe(7);
    const ranOut = await simulate({ jobs: fakeJobs(5), bounds: { durationMs: 60_000 } });
    expect(ranOut.result.dispatched).toBe(5);
    expect(ranOut.result.endedAt).toBe(1400); // it does not wait out the duration with nothing to send
  });

  it('pulls one job per arrival, not ahead', async () => {
    let pulled = 0;
    let maxAhead = 0;
    let started = 0;
    const clock = new FakeClock();
    await clock.run(
      runOpenLoop(
        fakeJobs(1000, () => {
          pulled++;
          maxAhead = Math.max(maxAhead, pulled - started);
        }),
        {
          rate: { kind: 'constant', value: 50 },
          arrival: { kind: 'poisson' },
          seed: 3,
          bounds: { requests: 200 },
          stop: new AbortController().signal,
          clock,
        },
        async () => {
          started++;
        },
      ),
    );
    expect(started).toBe(200);
    expect(maxAhead).toBe(1); // the next arrival's job, pulled while waiting for its time
    expect(pulled).toBe(200);
  });

  it('makes capped arrivals wait FIFO, counts them late, keeps scheduledAt intended and drops none', async () => {
    const { result, starts, lags, peakInFlight, finished } = await simulate({
      rate: { kind: 'constant', value: 100 },
      maxConcurrency: 2,
      serviceMs: 50,
      bounds: { requests: 20 },
    });
    expect(finished).toBe(20);
    expect(result.dispatched).toBe(20);
    expect(peakInFlight).toBe(2);
    expect(starts.map((s) => s.index)).toEqual([...Array(20).keys()]);
    expect(starts.map((s) => s.scheduledAt)).toEqual(starts.map((_, i) => 1000 + 10 * i));
    // Two slots of 50 ms serve one job per 25 ms while one arrives per 10 ms: only the first two are on time.
    expect(result.late).toBe(18);
    expect(starts.slice(2).every((s) => s.startedAt > s.scheduledAt)).toBe(true);
    expect(lags).toEqual(starts.map((s) => s.startedAt - s.scheduledAt));
    // A slot frees every 25 ms on average: pairs start 50 ms apart, 10 ms within a pair.
    expect(starts.map((s) => s.startedAt)).toEqual(
      starts.map((_, i) => 1000 + 50 * Math.floor(i / 2) + 10 * (i % 2)),
    );
    expect(lags.at(-1)).toBe(1460 - 1190);
    expect(result.achievedRate!).toBeLessThan(result.targetRate!);
  });

  it('does not drift after a stall: overdue arrivals start at once with their intended times', async () => {
    const clock = new FakeClock();
    // From t=500 the process reads the time 1 s later than the timers say, as after a GC pause or ^Z.
    const stall = 1000;
    const stalledNow = () => clock.now() + (clock.now() >= 500 ? stall : 0);
    const starts: Start[] = [];
    const result = await clock.run(
      runOpenLoop(
        fakeJobs(100),
        {
          rate: { kind: 'constant', value: 10 },
          arrival: { kind: 'constant' },
          seed: 1,
          bounds: { requests: 30 },
          stop: new AbortController().signal,
          clock: { ...clock, now: stalledNow },
        },
        async (job, scheduledAt) => {
          starts.push({ index: job.index, scheduledAt, startedAt: stalledNow() });
        },
      ),
    );
    expect(result.dispatched).toBe(30);
    expect(starts.map((s) => s.scheduledAt)).toEqual(starts.map((_, i) => 100 * i));
    // Arrivals 5..14 (intended 500..1400) were overdue at the wakeup: they start at once, none skipped.
    expect(starts.slice(5, 16).map((s) => s.startedAt)).toEqual(Array(11).fill(1500));
    expect(result.late).toBe(10);
    // After catching up the schedule goes on from the start, not from the wakeup.
    expect(starts.slice(16).every((s) => s.startedAt === s.scheduledAt)).toBe(true);
  });

  it('repeats the same schedule for the same seed', async () => {
    const poisson = (seed: number) =>
      simulate({ arrival: { kind: 'poisson' }, seed, bounds: { requests: 50 } }).then((r) =>
        r.starts.map((s) => s.scheduledAt),
      );
    const first = await poisson(11);
    expect(await poisson(11)).toEqual(first);
    expect(await poisson(12)).not.toEqual(first);
  });

  it('offers Poisson arrivals at the target rate over a long run', async () => {
    const { result } = await simulate({
      rate: { kind: 'constant', value: 100 },
      arrival: { kind: 'poisson' },
      seed: 5,
      bounds: { durationMs: 60_000 },
    });
    expect(result.dispatched).toBeGreaterThan(6000 * 0.95);
    expect(result.dispatched).toBeLessThan(6000 * 1.05);
    expect(result.achievedRate).toBe(result.targetRate);
  });

  it('follows a rate ramp from 0 without dividing by zero', async () => {
    const { result, starts } = await simulate({
      rate: { kind: 'ramp', from: 0, to: 20, durationMs: 10_000 },
      bounds: { durationMs: 10_000 },
      startAt: 0,
    });
    // 100 arrivals are expected over the ramp; the 100th falls on the deadline.
    expect(result.dispatched).toBeGreaterThanOrEqual(99);
    expect(result.dispatched).toBeLessThanOrEqual(100);
    expect(starts[0]!.scheduledAt).toBeCloseTo(1000, 6); // not at t=0, where the rate is 0
    // Arrival n comes when n are expected: the 25th exactly at the half-way mark.
    expect(starts.filter((s) => s.scheduledAt < 5000 - 1e-6)).toHaveLength(24);
    expect(starts.filter((s) => s.scheduledAt < 5000 + 1e-6)).toHaveLength(25);
  });

  it('sends nothing while the rate is 0, and still ends at the duration', async () => {
    const { result } = await simulate({ rate: { kind: 'constant', value: 0 }, bounds: { durationMs: 500 } });
    expect(result.dispatched).toBe(0);
    expect(result.endedAt - result.startedAt).toBe(500);
    expect(result.targetRate).toBe(0);
  });

  it('stops dispatching when stopped, lets running jobs finish and starts no queued arrival', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    let finished = 0;
    const starts: number[] = [];
    const result = await clock.run(
      runOpenLoop(
        fakeJobs(1_000_000),
        {
          rate: { kind: 'constant', value: 100 },
          arrival: { kind: 'constant' },
          seed: 1,
          maxConcurrency: 1,
          bounds: {},
          stop: stop.signal,
          clock,
        },
        async (job) => {
          starts.push(job.index);
          if (job.index === 2) stop.abort();
          await clock.sleep(35);
          finished++;
        },
      ),
    );
    expect(starts).toEqual([0, 1, 2]);
    expect(result.dispatched).toBe(3);
    expect(finished).toBe(3);
    expect(result.endedAt).toBe(105); // the third job (started at 70) ran to its end
  });

  it('stops a phase whose rate stays 0 and has no duration', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    void clock.sleep(350).then(() => stop.abort());
    const result = await clock.run(
      runOpenLoop(
        fakeJobs(10),
        {
          rate: { kind: 'ramp', from: 10, to: 0, durationMs: 200 },
          arrival: { kind: 'constant' },
          seed: 1,
          bounds: {},
          stop: stop.signal,
          clock,
        },
        async () => {},
      ),
    );
    // 10/s falling to 0 over 0.2 s expects one arrival after the one at the start (at 200 ms), then none.
    expect(result.dispatched).toBe(2);
    expect(result.endedAt).toBeGreaterThanOrEqual(350);
  });

  it('re-raises an executor bug after the other jobs settle', async () => {
    let finished = 0;
    const clock = new FakeClock();
    const run = runOpenLoop(
      fakeJobs(5),
      {
        rate: { kind: 'constant', value: 100 },
        arrival: { kind: 'constant' },
        seed: 1,
        bounds: {},
        stop: new AbortController().signal,
        clock,
      },
      async (job) => {
        await clock.sleep(100);
        if (job.index === 1) throw new Error('boom');
        finished++;
      },
    );
    await expect(clock.run(run)).rejects.toThrow('boom');
    expect(finished).toBe(4);
  });
});
