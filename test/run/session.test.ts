import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_DEFAULTS } from '../../src/plan/defaults.js';
import type { Phase } from '../../src/plan/phases.js';
import { readResults } from '../../src/results/reader.js';
import type { JobResult } from '../../src/results/types.js';
import { JobSource } from '../../src/run/job-source.js';
import { RunSession, type SessionOptions } from '../../src/run/session.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { type FakeReply, FakeServer, testJobs, testTarget } from './fake-server.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const closed = (concurrency: number, bounds: Phase['bounds'] = {}): Phase => ({
  name: 'main',
  warmup: false,
  load: { kind: 'closed', concurrency: { kind: 'constant', value: concurrency } },
  bounds,
});

const open = (name: string, rate: number, requests: number): Phase => ({
  name,
  warmup: false,
  load: { kind: 'open', rate: { kind: 'constant', value: rate }, arrival: { kind: 'poisson' } },
  bounds: { requests },
});

async function openSession(
  clock: FakeClock,
  reply: (info: { n: number; inFlight: number }) => FakeReply,
  overrides: Partial<SessionOptions> = {},
) {
  const outDir = await mkdtemp(join(tmpdir(), 'stepbench-session-'));
  dirs.push(outDir);
  const server = new FakeServer(clock, reply);
  const session = await RunSession.open({
    targets: [testTarget],
    outDir,
    limits: { adaptive: false, maxConcurrency: 8 },
    retryPolicy: { retries: 0, baseMs: 500, capMs: 30_000 },
    timeouts: RUN_DEFAULTS.timeouts,
    slos: [],
    graceMs: 1_000,
    clock,
    random: () => 0.25,
    send: server.send,
    ...overrides,
  });
  return { session, server, outDir };
}

async function written(session: RunSession): Promise<JobResult[]> {
  const rows: JobResult[] = [];
  for await (const r of readResults(session.resultsPath)) rows.push(r);
  return rows;
}

describe('RunSession on fake time', () => {
  it('runs a closed-loop phase through the fake sender and writes every result', async () => {
    const clock = new FakeClock();
    const { session, server } = await openSession(clock, () => ({ outcome: 'ok', latencyMs: 100 }));
    const record = await clock.run(session.runPhase(closed(2), new JobSource(testJobs(10))));
    await session.close();
    expect(record.schedule.dispatched).toBe(10);
    expect(server.sends).toHaveLength(10);
    expect(clock.now()).toBe(500); // 10 jobs of 100 ms, two at a time
    expect(record.collector.target(testTarget.name)?.summary(undefined).requests).toBe(10);
    const rows = await written(session);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.outcome === 'ok' && r.phase === 'main')).toBe(true);
    expect(session.exitCode).toBe(0);
  });

  it('a stop ends dispatching, lets in-flight jobs finish within the grace period, and writes them', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const { session, server } = await openSession(clock, () => ({ outcome: 'ok', latencyMs: 100 }), {
      stop: stop.signal,
    });
    void clock.sleep(250).then(() => stop.abort());
    const record = await clock.run(session.runPhase(closed(2), new JobSource(testJobs(100))));
    await session.close();
    // Jobs started at 0, 100, 200; the two started at 200 finish at 300.
    expect(server.sends).toHaveLength(6);
    expect(record.schedule.dispatched).toBe(6);
    expect(clock.now()).toBe(300);
    expect((await written(session)).every((r) => r.outcome === 'ok')).toBe(true);
    expect(session.interrupted).toBe(true);
    expect(session.exitCode).toBe(130);
    expect(session.timeline.toJSON().events.map((e) => e.kind)).toContain('stop');
  });

  it('aborts requests still in flight when the grace period is over', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const { session } = await openSession(clock, () => ({ outcome: 'ok', latencyMs: 10_000 }), {
      stop: stop.signal,
      graceMs: 500,
    });
    void clock.sleep(100).then(() => stop.abort());
    await clock.run(session.runPhase(closed(3), new JobSource(testJobs(10))));
    await session.close();
    expect(clock.now()).toBe(600);
    const rows = await written(session);
    expect(rows.map((r) => r.outcome)).toEqual(['interrupted', 'interrupted', 'interrupted']);
  });
});

describe('RunSession with retries off against a server refusing above 6 in flight', () => {
  it('a closed loop of 8 rests refused slots, so the 429 share describes the load', async () => {
    const clock = new FakeClock();
    const { session, server } = await openSession(clock, ({ inFlight }) =>
      inFlight >= 6
        ? { outcome: 'rate_limited', status: 429, latencyMs: 1 }
        : { outcome: 'ok', latencyMs: 100 },
    );
    const record = await clock.run(
      session.runPhase(closed(8, { durationMs: 5_000 }), new JobSource(testJobs(1e6))),
    );
    await session.close();
    const served = server.count('ok');
    const refused = server.count('rate_limited');
    expect(served).toBeGreaterThanOrEqual(290); // six slots busy for 5 s at 100 ms a job
    // Two slots over the limit, each refused about once per served job's time: ~100, not ~10,000.
    expect(refused).toBeLessThanOrEqual(2 * 50 + 8);
    const outcomes = record.collector.target(testTarget.name)?.summary(undefined).outcomes;
    expect(outcomes?.rate_limited).toBe(refused);
  });
});

describe('RunSession arrival seed', () => {
  async function arrivalTimes(arrivalSeed: number | undefined, phases: Phase[]) {
    const clock = new FakeClock();
    const { session } = await openSession(
      clock,
      () => ({ outcome: 'ok', latencyMs: 5 }),
      arrivalSeed === undefined ? {} : { arrivalSeed },
    );
    const source = new JobSource(testJobs(1_000));
    const times: number[][] = [];
    for (const phase of phases) {
      const rows: JobResult[] = [];
      const record = await clock.run(session.runPhase(phase, source, (r) => rows.push(r)));
      expect(rows).toHaveLength(record.schedule.dispatched);
      times.push(rows.map((r) => r.times.scheduledAt).sort((a, b) => a - b));
    }
    await session.close();
    return { times, seed: session.arrivalSeed };
  }

  it('the same seed gives the same arrival times; another seed other times', async () => {
    const phases = [open('a', 20, 30), open('b', 20, 30)];
    const first = await arrivalTimes(42, phases);
    const again = await arrivalTimes(42, phases);
    const other = await arrivalTimes(43, phases);
    expect(first.seed).toBe(42);
    expect(again.times).toEqual(first.times);
    expect(other.times[0]).not.toEqual(first.times[0]);
    // Each phase has its own schedule: phase b does not replay phase a's gaps.
    const gaps = (t: number[]) => t.slice(1).map((x, i) => x - t[i]!);
    expect(gaps(first.times[1]!)).not.toEqual(gaps(first.times[0]!));
  });

  it('without a seed, draws one from the session random and exposes it', async () => {
    const { seed } = await arrivalTimes(undefined, [open('a', 50, 3)]);
    expect(seed).toBe(Math.floor(0.25 * 2 ** 31));
  });
});
