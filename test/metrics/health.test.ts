import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MetricsCollector } from '../../src/metrics/collector.js';
import {
  ClientHealth,
  type CpuTimes,
  HEALTH_THRESHOLDS,
  type HealthMeasurements,
  healthWarnings,
  judgeHealth,
  typicalLatencyMs,
} from '../../src/metrics/health.js';
import { makeResult } from './job-result-factory.js';

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Deliberately block the event loop.
  }
}

/** A healthy open-loop run: every value comfortably under its threshold. */
function calm(overrides: Partial<HealthMeasurements> = {}): HealthMeasurements {
  return {
    eventLoopDelayMs: { p50: 0.2, p99: 1.5, max: 3, mean: 0.3 },
    eventLoopSamples: 6000,
    measuredMs: 60_000,
    latencyReferenceMs: 20,
    cpuPercent: 35,
    dispatchLagMs: {
      count: 1000,
      min: 0,
      mean: 0.8,
      p50: 0.7,
      p90: 1.2,
      p95: 1.5,
      p99: 2.1,
      p999: 3,
      max: 4,
      stddev: 0.4,
    },
    targetRate: 20,
    achievedRate: 19.9,
    achievedShare: 0.995,
    ...overrides,
  };
}

/** Fake wall clock and CPU counter, so CPU share tests need neither real time nor real load. */
function fakeMachine() {
  const state = { wallMs: 1000, cpu: { user: 0, system: 0 } as CpuTimes };
  return {
    state,
    options: { now: () => state.wallMs, cpuUsage: () => ({ ...state.cpu }) },
  };
}

describe('healthWarnings', () => {
  it('gives no warnings for a calm run with good rates', () => {
    expect(healthWarnings(calm())).toEqual([]);
    // Closed loop: no target rate and no dispatch lag.
    expect(
      healthWarnings(calm({ dispatchLagMs: null, targetRate: null, achievedRate: 50, achievedShare: null })),
    ).toEqual([]);
  });

  it('warns about event-loop delay with the measured p99 and what to do', () => {
    const warnings = healthWarnings(calm({ eventLoopDelayMs: { p50: 1, p99: 14.2, max: 31, mean: 2 } }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('event-loop delay p99 was 14.2 ms (> 5.0 ms');
    expect(warnings[0]).toContain('lower the concurrency or run shards');
  });

  it('judges event-loop delay next to the typical latency: 6.7 ms matters for a 20 ms TTFT, not a 2 s one', () => {
    const loop = { p50: 0.9, p99: 6.7, max: 9, mean: 1.2 };
    expect(healthWarnings(calm({ eventLoopDelayMs: loop, latencyReferenceMs: 20 }))).toEqual([
      expect.stringContaining('event-loop delay p99 was 6.7 ms (> 5.0 ms'),
    ]);
    expect(healthWarnings(calm({ eventLoopDelayMs: loop, latencyReferenceMs: 2000 }))).toEqual([]);
    // A delay that is a tenth of a 2 s latency does count, and the warning says against what.
    const big = { p50: 30, p99: 250, max: 400, mean: 40 };
    expect(healthWarnings(calm({ eventLoopDelayMs: big, latencyReferenceMs: 2000 }))).toEqual([
      expect.stringContaining('(> 200.0 ms, 10 % of the typical latency 2000.0 ms; max 400.0 ms)'),
    ]);
    // Unknown latency: only the absolute floor.
    expect(healthWarnings(calm({ eventLoopDelayMs: loop, latencyReferenceMs: null }))).toHaveLength(1);
  });

  it('gives no warning for the demo: 10 requests in 0.65 s, one slow tick among ~60', () => {
    // The numbers `npm run demo` printed before: p99 = max, over too few ticks to be a percentile.
    const demo = calm({
      eventLoopDelayMs: { p50: 0.879, p99: 18.475, max: 18.475, mean: 2.588 },
      eventLoopSamples: 60,
      measuredMs: 648,
      latencyReferenceMs: 44.4,
      cpuPercent: 70.7,
      dispatchLagMs: null,
      targetRate: null,
      achievedRate: null,
      achievedShare: null,
    });
    expect(healthWarnings(demo)).toEqual([]);
    // A short run at full CPU is start-up work, not a verdict either.
    expect(healthWarnings({ ...demo, cpuPercent: 99 })).toEqual([]);
  });

  it('still warns about a real overload: a long run whose loop lags behind a fast server', () => {
    const overloaded = calm({
      eventLoopDelayMs: { p50: 12, p99: 78.6, max: 212.3, mean: 15 },
      eventLoopSamples: 2500,
      measuredMs: 7200,
      latencyReferenceMs: 500,
      cpuPercent: 97,
    });
    const warnings = healthWarnings(overloaded);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(
      'event-loop delay p99 was 78.6 ms (> 50.0 ms, 10 % of the typical latency 500.0 ms',
    );
    expect(warnings[1]).toContain('client CPU was 97 % of one core');
  });

  it('warns about dispatch lag', () => {
    const lag = { ...calm().dispatchLagMs!, p99: 8.1 };
    const warnings = healthWarnings(calm({ dispatchLagMs: lag }));
    expect(warnings).toEqual([expect.stringContaining('dispatch lag p99 was 8.1 ms (> 5.0 ms)')]);
    // At 2 req/s arrivals are 500 ms apart: 8 ms of lag does not make them bursty, 60 ms does.
    expect(
      healthWarnings(calm({ dispatchLagMs: lag, targetRate: 2, achievedRate: 2, achievedShare: 1 })),
    ).toEqual([]);
    const late = { ...lag, p99: 60 };
    expect(
      healthWarnings(calm({ dispatchLagMs: late, targetRate: 2, achievedRate: 2, achievedShare: 1 })),
    ).toEqual([expect.stringContaining('dispatch lag p99 was 60.0 ms (> 50.0 ms)')]);
    // Fewer than 100 dispatches: p99 would be the maximum, no verdict.
    expect(healthWarnings(calm({ dispatchLagMs: { ...lag, count: 99 } }))).toEqual([]);
  });

  it('warns when the achieved rate falls short of the target, and only then', () => {
    const warnings = healthWarnings(calm({ achievedRate: 18.26, achievedShare: 0.913 }));
    expect(warnings).toEqual([expect.stringContaining('achieved 91.3 % of the target rate (< 97 %)')]);
    expect(warnings[0]).toContain('18.26 of 20.00 requests/s');
    expect(healthWarnings(calm({ achievedShare: HEALTH_THRESHOLDS.achievedShare }))).toEqual([]);
  });

  it('warns about client CPU near one core', () => {
    expect(healthWarnings(calm({ cpuPercent: 96 }))).toEqual([
      expect.stringContaining('client CPU was 96 % of one core'),
    ]);
    expect(healthWarnings(calm({ cpuPercent: HEALTH_THRESHOLDS.cpuPercent }))).toEqual([]);
  });

  it('lists every crossed threshold', () => {
    const warnings = healthWarnings(
      calm({
        eventLoopDelayMs: { p50: 5, p99: 20, max: 40, mean: 6 },
        cpuPercent: 120,
        dispatchLagMs: { ...calm().dispatchLagMs!, p99: 30 },
        achievedShare: 0.5,
        achievedRate: 10,
      }),
    );
    expect(warnings).toHaveLength(4);
  });
});

describe('ClientHealth', () => {
  it('detects a blocked event loop', async () => {
    const health = new ClientHealth();
    health.start();
    await sleep(50);
    busyWait(60);
    await sleep(50);
    health.stop();
    const summary = health.summary();
    // The block reads between ~50 and ~60 ms depending on where in a 10 ms tick it began.
    // Lower bounds only: a busier machine can only make the block read longer.
    expect(summary.eventLoopDelayMs.max).toBeGreaterThanOrEqual(40);
    expect(summary.eventLoopSamples).toBeGreaterThan(0);
    expect(summary.measuredMs).toBeGreaterThanOrEqual(100);
    // Whether it warns is the rules' business, tested above on synthetic numbers.
  });

  it('reports zero delay rather than sentinel values when stopped before the first tick', () => {
    const health = new ClientHealth();
    health.start();
    health.stop();
    health.stop(); // idempotent
    expect(health.summary().eventLoopDelayMs).toEqual({ p50: 0, p99: 0, max: 0, mean: 0 });
  });

  it('summarises dispatch lag samples as percentiles in ms', () => {
    // (100 samples: the fewest the dispatch-lag rule judges.)
    const health = new ClientHealth();
    expect(health.summary().dispatchLagMs).toBeNull();
    for (let i = 1; i <= 100; i++) health.recordDispatchLag(i / 10); // 0.1 … 10 ms
    const lag = health.summary().dispatchLagMs!;
    expect(lag.count).toBe(100);
    // HDR keeps 3 significant digits: each value is within 0.1 % of the sample it stands for.
    const near = (actual: number | null, expected: number) =>
      expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(expected * 0.001 + 1e-9);
    near(lag.p50, 5);
    near(lag.p99, 9.9);
    near(lag.max, 10);
    near(lag.min, 0.1);
    expect(health.summary().warnings).toEqual([expect.stringContaining('dispatch lag p99 was 9.9 ms')]);
  });

  it('computes the achieved share and warns when the client fell behind', () => {
    const health = new ClientHealth();
    health.setRates(50, 40);
    expect(health.summary()).toMatchObject({ targetRate: 50, achievedRate: 40, achievedShare: 0.8 });
    expect(health.summary().warnings).toEqual([
      expect.stringContaining('achieved 80.0 % of the target rate'),
    ]);

    health.setRates(50, 49.5);
    expect(health.summary().achievedShare).toBe(0.99);
    expect(health.summary().warnings).toEqual([]);

    health.setRates(undefined, 49.5); // closed loop
    expect(health.summary()).toMatchObject({ targetRate: null, achievedRate: 49.5, achievedShare: null });
    health.setRates(0, 10);
    expect(health.summary().achievedShare).toBeNull();
  });

  it('measures CPU as user + system time over wall time, frozen at stop', () => {
    const machine = fakeMachine();
    const health = new ClientHealth(machine.options);
    expect(health.summary().cpuPercent).toBe(0); // not started
    health.start();
    machine.state.wallMs += 2000;
    machine.state.cpu = { user: 500_000, system: 100_000 }; // 600 ms of CPU in 2 s
    expect(health.summary().cpuPercent).toBe(30);
    health.stop();
    machine.state.wallMs += 10_000;
    machine.state.cpu = { user: 9_000_000, system: 0 };
    expect(health.summary().cpuPercent).toBe(30);
    expect(health.summary().warnings.some((w) => w.startsWith('client CPU'))).toBe(false);
  });

  it('warns about CPU above the threshold, counting time beyond one core', () => {
    const machine = fakeMachine();
    const health = new ClientHealth(machine.options);
    health.start();
    machine.state.wallMs += 1000;
    machine.state.cpu = { user: 1_100_000, system: 150_000 };
    health.stop();
    expect(health.summary().measuredMs).toBe(1000);
    const summary = health.summary();
    expect(summary.cpuPercent).toBe(125);
    expect(summary.warnings).toContainEqual(expect.stringContaining('client CPU was 125 % of one core'));
  });
});

describe('ClientHealth.restart', () => {
  it('forgets what came before (a warmup)', () => {
    const health = new ClientHealth();
    health.start();
    health.recordDispatchLag(50);
    health.recordDispatchLag(60);
    health.restart();
    health.recordDispatchLag(1);
    const s = health.summary();
    health.stop();
    expect(s.dispatchLagMs?.count).toBe(1);
    expect(s.dispatchLagMs?.max).toBeLessThan(2);
  });
});

describe('judgeHealth in a report', () => {
  it("takes the fastest target's TTFT p50 (e2e p50 without streaming) as the typical latency", () => {
    const collector = new MetricsCollector();
    for (let i = 0; i < 5; i++) collector.add(makeResult({ target: 'slow', ttft: 2000, e2e: 4000 }));
    expect(typicalLatencyMs([collector.target('slow')!.summary()])).toBeCloseTo(2000, -1);
    collector.add(makeResult({ target: 'fast', ttft: 20, e2e: 80 }));
    const summaries = collector.targets().map((t) => t.summary());
    expect(typicalLatencyMs(summaries)).toBeCloseTo(20, 1);
    expect(typicalLatencyMs([])).toBeNull();
  });

  it('re-judges the warnings with the reference latency', () => {
    const loop = { p50: 1, p99: 6.7, max: 9, mean: 1.2 };
    const health = { ...calm({ eventLoopDelayMs: loop, latencyReferenceMs: null }), warnings: ['stale'] };
    expect(judgeHealth(health, 2000)).toMatchObject({ latencyReferenceMs: 2000, warnings: [] });
    expect(judgeHealth(health, 20).warnings).toHaveLength(1);
  });
});
