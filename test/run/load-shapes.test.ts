import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { withMock } from '../helpers/mock.js';

async function results(path: string): Promise<JobResult[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JobResult);
}
const out = () => mkdtemp(join(tmpdir(), 'stepbench-load-'));
const env = { STEP_API_KEY: 'k-load-shapes' };

describe('open loop', () => {
  it('sends at the requested rate for the requested time', async () => {
    await withMock({ ttftMs: 5, interTokenMs: 1, replyTokens: 8 }, async (mock) => {
      const o = await run({
        datasets: ['datasets/smoke.csv'],
        baseUrl: mock.url,
        env,
        rate: 40,
        arrival: 'constant',
        duration: '2s',
        out: await out(),
      });
      // Constant arrivals at 40/s for 2 s: 80 intended starts (the dataset of 10 rows is cycled).
      // The count follows from the schedule, not from the machine's speed: a late client sends
      // late arrivals back to back, it never drops them.
      expect(mock.stats.requests).toBeGreaterThanOrEqual(79);
      expect(mock.stats.requests).toBeLessThanOrEqual(81);
      const main = o.report.phases?.find((p) => p.name === 'main');
      // The achieved rate counts the same starts over the same phase; how close it comes to the
      // target on a loaded machine is the client-health report's business, not this test's.
      expect(main?.schedule.achievedRate).toBeLessThanOrEqual(main?.schedule.targetRate ?? 0);
      expect(main?.schedule.dispatched).toBe(mock.stats.requests);
      expect(o.report.health?.dispatchLagMs?.count).toBe(mock.stats.requests);
      expect(o.report.health?.dispatchLagMs?.min).toBeGreaterThanOrEqual(0);
      // Arrivals are paced, not bursty: intended starts exactly 25 ms apart, none sent before its time.
      const rs = (await results(o.resultsPath)).sort((a, b) => a.times.scheduledAt - b.times.scheduledAt);
      expect(rs).toHaveLength(mock.stats.requests);
      for (let i = 1; i < rs.length; i++) {
        expect(rs[i]!.times.scheduledAt - rs[i - 1]!.times.scheduledAt).toBeCloseTo(25, 6);
      }
      for (const r of rs) expect(r.times.dispatchedAt).toBeGreaterThanOrEqual(r.times.scheduledAt);
    });
  });

  it('measures latency from the intended start when the server cannot keep up', async () => {
    await withMock({ ttftMs: 100, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
      const o = await run({
        datasets: ['datasets/smoke.csv'],
        baseUrl: mock.url,
        env,
        rate: 40,
        arrival: 'constant',
        maxConcurrency: 2,
        requests: 10,
        out: await out(),
      });
      const rs = (await results(o.resultsPath)).sort((a, b) => a.index - b.index);
      expect(rs).toHaveLength(10);
      expect(mock.stats.maxInFlight).toBeLessThanOrEqual(2);
      // Arrivals every 25 ms but only 2 × ~105 ms of service at once: the queue grows, and each
      // request's latency includes it. Intended start k·25 ms; it cannot end before the server
      // has served the k requests ahead of it two at a time.
      const byTrace = new Map(mock.stats.records.map((r) => [r.traceId, r]));
      const first = Math.min(...rs.map((r) => r.times.scheduledAt));
      for (const r of rs) {
        const server = byTrace.get(r.traceId ?? '')!;
        expect(r.durations.latency).toBeGreaterThanOrEqual(r.durations.e2e);
        // latency − e2e is the wait before the request went out: the queue plus building it.
        expect(r.durations.latency - r.durations.e2e).toBeGreaterThanOrEqual(r.durations.queue - 0.01);
        // The server's own service time is part of what the client measured.
        expect(r.durations.e2e).toBeGreaterThanOrEqual(server.endAt - server.receivedAt - 0.5);
        expect(Math.abs(r.times.scheduledAt - first - r.index * 25)).toBeLessThan(2);
      }
      const last = rs.at(-1)!;
      expect(last.durations.queue).toBeGreaterThan(150);
      expect(o.report.phases?.[0]?.schedule.late).toBeGreaterThan(0);
    });
  });
});

describe('phases, warmup and goodput', () => {
  it('excludes warmup from the statistics but keeps it in results and the timeline', async () => {
    await withMock({ ttftMs: 2, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
      const o = await run({
        datasets: ['datasets/smoke.csv'],
        baseUrl: mock.url,
        env,
        concurrency: 2,
        warmup: 4,
        out: await out(),
      });
      // The warmup comes on top: the measured phase still sends one full pass of the 10 rows.
      const rs = await results(o.resultsPath);
      expect(rs).toHaveLength(14);
      expect(rs.filter((r) => r.warmup)).toHaveLength(4);
      expect(new Set(rs.filter((r) => !r.warmup).map((r) => r.rowId)).size).toBe(10);
      expect(o.report.targets[0]?.summary.requests).toBe(10);
      expect(o.report.phases?.map((p) => [p.name, p.warmup, p.schedule.dispatched])).toEqual([
        ['warmup', true, 4],
        ['main', false, 10],
      ]);
      const started = o.report.timeline?.buckets.reduce((n, b) => n + b.started, 0);
      expect(started).toBe(14);
    });
  });

  it('runs config-file phases in order and reports each', async () => {
    const dir = await out();
    const config = join(dir, 'phases.yaml');
    await writeFile(
      config,
      [
        'run:',
        '  phases:',
        '    - { name: warm, warmup: true, concurrency: 2, requests: 3 }',
        '    - { name: ramp, concurrency: 4, rampFrom: 1, duration: 500ms }',
        '    - { name: hold, rate: 30, arrival: constant, duration: 1s }',
      ].join('\n'),
    );
    await withMock({ ttftMs: 5, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
      const o = await run({
        datasets: ['datasets/smoke.csv'],
        config,
        baseUrl: mock.url,
        env,
        out: join(dir, 'o'),
      });
      const phases = o.report.phases ?? [];
      expect(phases.map((p) => p.name)).toEqual(['warm', 'ramp', 'hold']);
      expect(phases[0]?.schedule.dispatched).toBe(3);
      expect(phases[2]?.load).toMatch(/open loop, 30 req\/s constant/);
      expect(phases[2]?.schedule.dispatched).toBeGreaterThanOrEqual(29);
      const rs = await results(o.resultsPath);
      expect(new Set(rs.map((r) => r.phase))).toEqual(new Set(['warm', 'ramp', 'hold']));
      // Every job exactly once, across phases.
      expect(new Set(rs.map((r) => r.key)).size).toBe(rs.length);
      expect(mock.stats.requests).toBe(rs.length);
    });
  });

  it('counts goodput against per-request SLOs', async () => {
    await withMock({ ttftMs: 10, interTokenMs: 1, replyTokens: 8 }, async (mock) => {
      const o = await run({
        datasets: ['datasets/capacity.csv'],
        baseUrl: mock.url,
        env,
        concurrency: 8,
        requests: 40,
        slos: ['ttft.p95<1s', 'e2e<5ms'],
        out: await out(),
      });
      const g = o.report.goodput?.['step-3.7-flash'];
      expect(g?.requests).toBe(40);
      // Nothing ends within 5 ms when the first token alone takes 10: no request is good.
      expect(g?.good).toBe(0);
      expect(g?.slos.map((s) => s.passed)).toEqual([true, false]);
      const rs = await results(o.resultsPath);
      const ttftOk = rs.filter((r) => (r.durations.ttft ?? Infinity) < 1000).length;
      expect(g?.slos[0]?.metShare).toBeCloseTo(ttftOk / 40, 5);
    });
  });
});

describe('bounds', () => {
  it('a time-bounded warmup before an unbounded main phase sends one pass of the dataset in main', async () => {
    const o = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 2, interTokenMs: 1, replyTokens: 4 },
      concurrency: 2,
      warmup: '200ms',
      out: await out(),
    });
    expect(o.report.phases?.map((p) => p.name)).toEqual(['warmup', 'main']);
    expect(o.report.phases?.[1]?.schedule.dispatched).toBe(10);
    expect(o.report.targets[0]?.summary.requests).toBe(10);
  });
});

describe('warmup by count with --requests', () => {
  it('the warmup does not eat into the measured requests', async () => {
    const o = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 1, interTokenMs: 0, replyTokens: 2 },
      concurrency: 2,
      warmup: 5,
      requests: 12,
      out: await out(),
    });
    expect(o.report.phases?.map((p) => [p.name, p.schedule.dispatched])).toEqual([
      ['warmup', 5],
      ['main', 12],
    ]);
    expect(o.report.targets[0]?.summary.requests).toBe(12);
    const rs = await results(o.resultsPath);
    expect(rs).toHaveLength(17);
    expect(new Set(rs.map((r) => r.key)).size).toBe(17);
  });
});
