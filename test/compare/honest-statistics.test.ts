import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { RunSide, TargetSamples } from '../../src/compare/run-side.js';
import { thresholdsOrDefaults } from '../../src/compare/thresholds.js';
import { type Dist, sampleDist } from '../../src/mock/dist.js';
import { createRandom, mixSeed } from '../../src/random.js';
import type { Report } from '../../src/report/schema.js';

/**
 * The test of the statistics, on values drawn the way the mock draws its delays (seeded,
 * so it is the same every time and no clock is read): two runs of the same settings flag no
 * regression in at least 19 of 20 tries, and a server slowed by 30 % is flagged in all 20. The
 * same check against real servers in real time is a benchmark figure (bench/baseline-stats.mjs).
 */

const REQUESTS = 50;
const TOKENS = 16;

function simulatedRun(seed: number, slowdown: number): RunSide {
  const random = createRandom(seed);
  const ttftDist: Dist = { kind: 'normal', mean: 40 * slowdown, sd: 4 * slowdown };
  const gapDist: Dist = { kind: 'normal', mean: 8 * slowdown, sd: 0.8 * slowdown };
  const t: TargetSamples = {
    durations: { ttft: [], ttfa: [], tpot: [], e2e: [], latency: [] },
    completionTokens: [],
    totalTokens: [],
    costs: [],
    judged: REQUESTS,
    passed: REQUESTS - 2,
    requests: REQUESTS,
    errors: 0,
  };
  for (let i = 0; i < REQUESTS; i++) {
    const ttft = sampleDist(ttftDist, random);
    let gaps = 0;
    for (let k = 1; k < TOKENS; k++) gaps += sampleDist(gapDist, random);
    const e2e = ttft + gaps;
    t.durations.ttft.push(ttft);
    t.durations.ttfa.push(ttft);
    t.durations.tpot.push(gaps / (TOKENS - 1));
    t.durations.e2e.push(e2e);
    t.durations.latency.push(e2e + 0.2);
    t.completionTokens.push(TOKENS);
    t.totalTokens.push(TOKENS + 40);
    t.costs?.push((TOKENS + 40) * 1e-6);
  }
  const report = {
    run: { id: `run-${seed}`, startedAt: '2026-12-02T00:00:00.000Z' },
    targets: [{ name: 'step-3.7-flash' }],
  } as unknown as Report;
  return {
    path: `run-${seed}`,
    report,
    source: 'results',
    targets: new Map([['step-3.7-flash', t]]),
    rows: null,
  };
}

function flaggedTries(slowdown: number): { flagged: number; ttftChanges: number[] } {
  let flagged = 0;
  const ttftChanges: number[] = [];
  for (let i = 0; i < 20; i++) {
    const baseline = simulatedRun(mixSeed(2026, i, 1), 1);
    const current = simulatedRun(mixSeed(2026, i, 2), slowdown);
    const c = compareRuns(baseline, current, { thresholds: thresholdsOrDefaults(undefined), seed: i });
    if (c.regressions.length > 0) flagged++;
    ttftChanges.push(c.deltas.find((d) => d.metric === 'ttft.p95')?.relative ?? Number.NaN);
  }
  return { flagged, ttftChanges };
}

describe('baseline statistics, honestly', () => {
  it('two runs of the same settings flag no regression in at least 19 of 20 seeded tries', () => {
    const { flagged } = flaggedTries(1);
    expect(flagged).toBeLessThanOrEqual(1);
  });

  it('a server slowed by 30 % is flagged in every one of 20 seeded tries', () => {
    const { flagged, ttftChanges } = flaggedTries(1.3);
    expect(flagged).toBe(20);
    for (const change of ttftChanges) expect(change).toBeGreaterThan(0.1);
  });

  it('a significant change within the threshold is shown as worse, not as a regression', () => {
    const baseline = simulatedRun(11, 1);
    const current = simulatedRun(12, 1.15);
    const c = compareRuns(baseline, current, { thresholds: thresholdsOrDefaults(['ttft.p50:+25%']) });
    const d = c.deltas.find((x) => x.metric === 'ttft.p50');
    expect(d?.significant).toBe(true);
    expect(d?.regression).toBe(false);
    expect(c.regressions).toEqual([]);
  });
});
