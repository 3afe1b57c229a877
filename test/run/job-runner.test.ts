import { describe, expect, it } from 'vitest';
import { Limiter } from '../../src/limit/limiter.js';
import type { RetryPolicy } from '../../src/limit/retry-policy.js';
import { Timeline } from '../../src/metrics/timeline.js';
import { type JobContext, runJob } from '../../src/run/job-runner.js';
import { FAKE_WALL_START, FakeClock } from '../helpers/fake-clock.js';
import { type FakeReply, FakeServer, RATE_LIMITED, testJob } from './fake-server.js';

const OK: FakeReply = { outcome: 'ok', latencyMs: 40 };
// random() = 0.5: each full-jitter backoff is half its ceiling (250, 500, 1000 ms for base 500).
const POLICY: RetryPolicy = { retries: 3, baseMs: 500, capMs: 30_000 };

interface SetupOptions {
  stop?: AbortController;
  retries?: number;
  slots?: number;
}

function setup(replies: FakeReply[], options: SetupOptions = {}) {
  const clock = new FakeClock();
  const server = new FakeServer(clock, ({ n }) => replies[Math.min(n, replies.length - 1)]!);
  const stop = options.stop ?? new AbortController();
  const limiter = new Limiter({ maxConcurrency: options.slots ?? 4, adaptive: false, clock });
  const ctx: JobContext = {
    send: server.send,
    limiter,
    timeline: new Timeline(0, limiter.limit),
    retryPolicy: { ...POLICY, ...(options.retries !== undefined ? { retries: options.retries } : {}) },
    runStart: 0,
    clock,
    random: () => 0.5,
    stop: stop.signal,
    abortInFlight: new AbortController().signal,
    counters: { rateLimited: 0 },
  };
  const run = () => clock.run(runJob(testJob(0), clock.now(), ctx));
  return { clock, server, ctx, stop, run };
}

describe('runJob on fake time', () => {
  it('retries a 429 and ends with the success', async () => {
    const { server, ctx, run } = setup([RATE_LIMITED, RATE_LIMITED, OK]);
    const finished = await run();
    expect(finished?.result.outcome).toBe('ok');
    expect(finished?.result.attempts.map((a) => a.outcome)).toEqual(['rate_limited', 'rate_limited', 'ok']);
    expect(server.sends).toHaveLength(3);
    expect(ctx.counters).toEqual({ rateLimited: 2 });
  });

  it('waits the jittered backoff between attempts, on the clock it was given', async () => {
    const { clock, server, run } = setup([RATE_LIMITED, RATE_LIMITED, OK]);
    const finished = await run();
    // Ceilings 500 and 1000 ms, times random() = 0.5.
    expect(server.sends.map((s) => s.at)).toEqual([0, 250, 750]);
    expect(finished?.result.attempts.map((a) => a.waitMs)).toEqual([0, 250, 500]);
    expect(clock.now()).toBe(790);
    // The waits are queueing, not service time: latency covers them, e2e does not.
    expect(finished?.result.durations.e2e).toBe(40);
    expect(finished?.result.durations.latency).toBe(790);
  });

  it('honours Retry-After in seconds', async () => {
    const { server, run } = setup([{ ...RATE_LIMITED, headers: { 'retry-after': '2' } }, OK]);
    await run();
    expect(server.sends.map((s) => s.at)).toEqual([0, 2000]);
  });

  it('reads an HTTP-date Retry-After against the clock’s wall time', async () => {
    const at = new Date(FAKE_WALL_START + 3000).toUTCString();
    const { server, run } = setup([{ ...RATE_LIMITED, headers: { 'retry-after': at } }, OK]);
    await run();
    expect(server.sends.map((s) => s.at)).toEqual([0, 3000]);
  });

  it('keeps the last outcome when stopped during a backoff, and sends nothing more', async () => {
    const stop = new AbortController();
    const { clock, server, run } = setup([RATE_LIMITED, OK], { stop });
    void clock.sleep(100).then(() => stop.abort());
    const finished = await run();
    expect(finished?.result.outcome).toBe('rate_limited');
    expect(finished?.result.attempts).toHaveLength(1);
    expect(server.sends).toHaveLength(1);
    expect(clock.now()).toBe(100); // the 250-ms backoff ended with the stop
  });

  it('returns a non-retryable outcome at once', async () => {
    const { clock, server, run } = setup([{ outcome: 'http_4xx', status: 400 }, OK]);
    const finished = await run();
    expect(finished?.result.outcome).toBe('http_4xx');
    expect(server.sends).toHaveLength(1);
    expect(clock.now()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('gives up after the allowed retries with the last outcome', async () => {
    const { server, run } = setup([RATE_LIMITED], { retries: 2 });
    const finished = await run();
    expect(finished?.result.outcome).toBe('rate_limited');
    expect(server.sends).toHaveLength(3);
  });

  it('returns undefined when stopped before the first attempt', async () => {
    const stop = new AbortController();
    stop.abort();
    const { server, run } = setup([OK], { stop });
    expect(await run()).toBeUndefined();
    expect(server.sends).toHaveLength(0);
  });

  it('returns undefined when stopped while waiting for a limiter slot', async () => {
    const stop = new AbortController();
    const { clock, server, ctx, run } = setup([OK], { stop, slots: 1 });
    const blocker = await ctx.limiter.acquire(0); // another job holds the only slot
    void clock.sleep(50).then(() => stop.abort());
    expect(await run()).toBeUndefined();
    expect(server.sends).toHaveLength(0);
    blocker.release({ outcome: 'ok' });
  });
});
