import { createRandom, hashString } from '../random.js';
import type { TargetSamples } from './run-side.js';
import { bootstrapRatios, type Statistic, sortedSample, statisticOf } from './stats/bootstrap.js';
import { fisherHigher, fisherLower, mcnemarWorse, proportionDifferenceInterval } from './stats/fisher.js';
import { mannWhitney } from './stats/mann-whitney.js';
import { type ComparedMetric, higherIsWorse, metricKey, type Threshold } from './thresholds.js';

/** Fewer values than this on either side and a figure is shown but not tested. */
export const MIN_TEST_VALUES = 10;

export type DeltaTest = 'bootstrap' | 'mcnemar' | 'fisher' | 'none';

/** One figure of one target, baseline against current (docs/baseline.md). */
export interface MetricDelta {
  metric: string;
  target: string;
  /** Durations in ms, rates as shares, tokens and cost per request. Null when a run has no value. */
  baseline: number | null;
  current: number | null;
  /** current − baseline. */
  change: number | null;
  /** current ÷ baseline − 1; null for rates (they move in points) and a zero baseline. */
  relative: number | null;
  /** (1 − α) interval of the change: relative for durations, tokens and cost, in points for rates. */
  interval: { low: number; high: number } | null;
  test: DeltaTest;
  /**
   * One-sided p-value for "worse than the baseline" — two-sided ("differs") in a comparison of
   * targets (`DeltaOptions.twoSided`); null when untested.
   */
  p: number | null;
  /** Mann–Whitney U on the whole distribution (durations, tokens): P(current > baseline) and its p (sided as `p`). */
  mannWhitney?: { probabilityGreater: number; p: number };
  /** The threshold in force for this figure, as written. */
  threshold: string | null;
  /** p < α: moved the worse way significantly (baseline), or differs significantly either way (two-sided). */
  significant: boolean;
  /** Significant, worse, and beyond the threshold: fails the run. */
  regression: boolean;
  /** Why a figure was not tested, or how it was read. */
  note?: string;
}

export interface DeltaOptions {
  alpha: number;
  /** Seeds the bootstrap so a comparison is repeatable. */
  seed: number;
  /**
   * Two-sided p-values ("the figures differ"), for targets of one run compared with a reference,
   * where neither side is the one that may not get worse. Off: one-sided towards "worse".
   */
  twoSided?: boolean;
}

/** Verdicts of the same rows judged on both sides: pass → fail (`worse`), fail → pass (`better`), of `pairs`. */
export interface PairedVerdicts {
  worse: number;
  better: number;
  pairs: number;
}

/** The two-sided p-value from the two one-sided ones (doubling the smaller tail, at most 1). */
export function twoSidedP(pGreater: number, pLess: number): number {
  return Math.min(1, 2 * Math.min(pGreater, pLess));
}

/** Builds the deltas of one target for the given metrics. */
export function targetDeltas(
  target: string,
  base: TargetSamples,
  cur: TargetSamples,
  metrics: readonly ComparedMetric[],
  thresholds: readonly Threshold[],
  paired: PairedVerdicts | undefined,
  options: DeltaOptions,
): MetricDelta[] {
  const deltas = new Map<string, MetricDelta>();
  const confidence = 1 - options.alpha;
  const random = createRandom(options.seed ^ hashString(target));
  const thresholdOf = (m: ComparedMetric) =>
    thresholds.find(
      (t) => metricKey(t.metric) === metricKey(m) && (t.target === null || t.target === target),
    ) ?? null;

  // Durations, tokens and cost: one bootstrap per value family serves all of its statistics.
  const families = new Map<
    string,
    { values: (s: TargetSamples) => number[] | null; metrics: ComparedMetric[] }
  >();
  for (const m of metrics) {
    if (m.kind === 'rate') continue;
    const family = m.kind === 'duration' ? m.metric : m.kind === 'tokens' ? m.name : 'cost';
    let f = families.get(family);
    if (!f) {
      const values =
        m.kind === 'duration'
          ? (s: TargetSamples) => s.durations[m.metric]
          : m.kind === 'tokens'
            ? (s: TargetSamples) => (m.name === 'completion_tokens' ? s.completionTokens : s.totalTokens)
            : (s: TargetSamples) => s.costs;
      f = { values, metrics: [] };
      families.set(family, f);
    }
    f.metrics.push(m);
  }
  for (const f of families.values()) {
    const a = f.values(base);
    const b = f.values(cur);
    const stats: Statistic[] = f.metrics.map((m) =>
      m.kind === 'duration' && m.stat !== 'mean'
        ? { kind: 'percentile', p: Number(m.stat.slice(1)) }
        : { kind: 'mean' },
    );
    const sa = a && a.length > 0 ? sortedSample(a) : null;
    const sb = b && b.length > 0 ? sortedSample(b) : null;
    const testable =
      sa !== null && sb !== null && sa.length >= MIN_TEST_VALUES && sb.length >= MIN_TEST_VALUES;
    const estimates = testable
      ? bootstrapRatios(sa, sb, stats, { confidence, random })
      : stats.map(() => null);
    const mw = testable && a && b ? mannWhitney(a, b) : null;
    f.metrics.forEach((m, i) => {
      const before = a && a.length > 0 ? fullStatistic(a, stats[i] as Statistic) : null;
      const after = b && b.length > 0 ? fullStatistic(b, stats[i] as Statistic) : null;
      const e = estimates[i] ?? null;
      const d = blankDelta(m, target, before, after, thresholdOf(m));
      if (a === null || b === null)
        d.note = 'per-request costs are known only from results.jsonl with a price';
      else if (!testable)
        d.note = `too few values to test (${a.length} and ${b.length}; at least ${MIN_TEST_VALUES} each)`;
      else if (!e) d.note = 'the baseline value is 0: no relative change';
      if (e) {
        d.test = 'bootstrap';
        d.interval = { low: e.low - 1, high: e.high - 1 };
        d.p = options.twoSided ? twoSidedP(e.pGreater, e.pLess) : higherIsWorse(m) ? e.pGreater : e.pLess;
      }
      if (mw && m.kind !== 'cost') {
        const p = options.twoSided ? twoSidedP(mw.pGreater, mw.pLess) : mw.pGreater;
        d.mannWhitney = { probabilityGreater: round(mw.probabilityGreater), p: round(p) };
      }
      deltas.set(d.metric, judge(d, m, thresholdOf(m), options.alpha));
    });
  }

  for (const m of metrics) {
    if (m.kind !== 'rate') continue;
    const d =
      m.name === 'pass_rate'
        ? passRateDelta(target, base, cur, paired, thresholdOf(m), confidence, options.twoSided)
        : errorRateDelta(target, base, cur, thresholdOf(m), confidence, options.twoSided);
    deltas.set(d.metric, judge(d, m, thresholdOf(m), options.alpha));
  }
  return metrics.map((m) => deltas.get(metricKey(m)) as MetricDelta);
}

/** The figure shown is the statistic of every value, not of the thinned sample the test resamples. */
function fullStatistic(values: number[], stat: Statistic): number {
  return statisticOf(Float64Array.from(values).sort(), stat);
}

function blankDelta(
  m: ComparedMetric,
  target: string,
  baseline: number | null,
  current: number | null,
  threshold: Threshold | null,
): MetricDelta {
  const change = baseline !== null && current !== null ? current - baseline : null;
  const relative =
    m.kind !== 'rate' && baseline !== null && current !== null && baseline !== 0
      ? current / baseline - 1
      : null;
  return {
    metric: metricKey(m),
    target,
    baseline: baseline === null ? null : round(baseline),
    current: current === null ? null : round(current),
    change: change === null ? null : round(change),
    relative: relative === null ? null : round(relative),
    interval: null,
    test: 'none',
    p: null,
    threshold: threshold?.text ?? null,
    significant: false,
    regression: false,
  };
}

/** Significant when p < α; a regression when also beyond the threshold the worse way. */
function judge(d: MetricDelta, m: ComparedMetric, threshold: Threshold | null, alpha: number): MetricDelta {
  if (d.interval) d.interval = { low: round(d.interval.low), high: round(d.interval.high) };
  if (d.p !== null) d.p = round(d.p);
  d.significant = d.p !== null && d.p < alpha;
  if (!d.significant || !threshold || d.change === null) return d;
  const worseBy = higherIsWorse(m) ? d.change : -d.change;
  const limit = threshold.relative ? threshold.amount * Math.abs(d.baseline ?? 0) : threshold.amount;
  d.regression = worseBy > limit;
  return d;
}

function passRateDelta(
  target: string,
  base: TargetSamples,
  cur: TargetSamples,
  paired: PairedVerdicts | undefined,
  threshold: Threshold | null,
  confidence: number,
  twoSided = false,
): MetricDelta {
  const m: ComparedMetric = { kind: 'rate', name: 'pass_rate' };
  const before = base.judged > 0 ? base.passed / base.judged : null;
  const after = cur.judged > 0 ? cur.passed / cur.judged : null;
  const d = blankDelta(m, target, before, after, threshold);
  if (before === null || after === null) {
    d.note = 'no answers were judged in one of the runs';
    return d;
  }
  d.interval = proportionDifferenceInterval(base.passed, base.judged, cur.passed, cur.judged, confidence);
  if (paired && paired.pairs > 0) {
    // The same rows judged on both sides: the paired test sees only the rows whose verdict changed.
    d.test = 'mcnemar';
    const worse = mcnemarWorse(paired.worse, paired.better);
    d.p = twoSided ? twoSidedP(worse, mcnemarWorse(paired.better, paired.worse)) : worse;
    d.note = `${paired.worse} rows pass → fail, ${paired.better} fail → pass of ${paired.pairs} judged in both`;
  } else {
    d.test = 'fisher';
    const lower = fisherLower(base.passed, base.judged, cur.passed, cur.judged);
    d.p = twoSided ? twoSidedP(lower, fisherHigher(base.passed, base.judged, cur.passed, cur.judged)) : lower;
  }
  return d;
}

function errorRateDelta(
  target: string,
  base: TargetSamples,
  cur: TargetSamples,
  threshold: Threshold | null,
  confidence: number,
  twoSided = false,
): MetricDelta {
  const m: ComparedMetric = { kind: 'rate', name: 'error_rate' };
  const before = base.requests > 0 ? base.errors / base.requests : null;
  const after = cur.requests > 0 ? cur.errors / cur.requests : null;
  const d = blankDelta(m, target, before, after, threshold);
  if (before === null || after === null) {
    d.note = 'one of the runs has no requests';
    return d;
  }
  d.interval = proportionDifferenceInterval(base.errors, base.requests, cur.errors, cur.requests, confidence);
  d.test = 'fisher';
  const higher = fisherHigher(base.errors, base.requests, cur.errors, cur.requests);
  d.p = twoSided
    ? twoSidedP(higher, fisherLower(base.errors, base.requests, cur.errors, cur.requests))
    : higher;
  return d;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
