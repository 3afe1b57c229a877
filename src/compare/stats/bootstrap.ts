import type { Random } from '../../random.js';

/** Bootstrap resamples per comparison: enough for a 95 % percentile interval to settle to ~±1 %. */
export const BOOTSTRAP_RESAMPLES = 1_000;
/**
 * Values kept per side. Larger samples are thinned to this many evenly spaced order statistics,
 * which keeps the distribution's shape and the cost bounded (resampling sorts each resample);
 * thinning only widens the interval, so it errs towards "not significant".
 */
export const BOOTSTRAP_MAX_VALUES = 1_000;

/** A statistic of a sample: a percentile (0–100) or the mean. */
export type Statistic = { kind: 'percentile'; p: number } | { kind: 'mean' };

export interface RatioEstimate {
  /** statistic(current) ÷ statistic(baseline) on the full samples. */
  ratio: number;
  /** Two-sided percentile bootstrap interval of the ratio at `confidence`. */
  low: number;
  high: number;
  /** One-sided bootstrap p-values: share of resampled ratios at or below 1 (for "current larger"), at or above 1. */
  pGreater: number;
  pLess: number;
  /** Values each side contributed after thinning. */
  n: { baseline: number; current: number };
}

/** Sorted copy of `values`, thinned to at most `max` evenly spaced order statistics. */
export function sortedSample(values: readonly number[], max = BOOTSTRAP_MAX_VALUES): Float64Array {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length <= max) return sorted;
  const thin = new Float64Array(max);
  for (let i = 0; i < max; i++) thin[i] = sorted[Math.floor(((i + 0.5) * sorted.length) / max)] as number;
  return thin;
}

/** The statistic on a sorted sample: nearest-rank percentile (as HdrHistogram reports them) or mean. */
export function statisticOf(sorted: ArrayLike<number>, stat: Statistic): number {
  const n = sorted.length;
  if (stat.kind === 'mean') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i] as number;
    return sum / n;
  }
  return sorted[nearestRank(stat.p, n) - 1] as number;
}

/** 1-based nearest rank of percentile `p` among `n` sorted values. */
function nearestRank(p: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
}

/**
 * Draws one resample's statistic for each of `stats` from a sorted sample: indices drawn with
 * replacement and sorted give the resample's order statistics directly, so one resample serves
 * every percentile asked for.
 */
function resampleStats(
  sorted: Float64Array,
  stats: readonly Statistic[],
  random: Random,
  scratch: Uint32Array,
): number[] {
  const n = sorted.length;
  for (let i = 0; i < n; i++) scratch[i] = Math.floor(random() * n);
  scratch.sort();
  return stats.map((stat) => {
    if (stat.kind === 'mean') {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += sorted[scratch[i] as number] as number;
      return sum / n;
    }
    return sorted[scratch[nearestRank(stat.p, n) - 1] as number] as number;
  });
}

/**
 * Percentile-bootstrap intervals of statistic(current) ÷ statistic(baseline) for several
 * statistics of one metric at once (the runs are resampled independently, B times). The ratio,
 * not the difference, because thresholds are relative (`ttft.p95:+20%`) and latency spreads scale
 * with their level. Null for a statistic whose baseline value is 0 (no ratio to speak of).
 */
export function bootstrapRatios(
  baseline: Float64Array,
  current: Float64Array,
  stats: readonly Statistic[],
  options: { confidence: number; random: Random; resamples?: number },
): (RatioEstimate | null)[] {
  const b = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const base = stats.map((s) => statisticOf(baseline, s));
  const cur = stats.map((s) => statisticOf(current, s));
  const ratios = stats.map(() => new Float64Array(b));
  const scratchA = new Uint32Array(baseline.length);
  const scratchB = new Uint32Array(current.length);
  for (let r = 0; r < b; r++) {
    const sa = resampleStats(baseline, stats, options.random, scratchA);
    const sb = resampleStats(current, stats, options.random, scratchB);
    stats.forEach((_, i) => {
      const denominator = sa[i] as number;
      // A resample whose baseline statistic is 0 has an unbounded ratio; count it as "no smaller".
      (ratios[i] as Float64Array)[r] =
        denominator > 0 ? (sb[i] as number) / denominator : Number.POSITIVE_INFINITY;
    });
  }
  const tail = (1 - options.confidence) / 2;
  return stats.map((_, i) => {
    if (!((base[i] as number) > 0)) return null;
    const sorted = (ratios[i] as Float64Array).sort();
    let atOrBelow = 0;
    let atOrAbove = 0;
    for (const x of sorted) {
      if (x <= 1) atOrBelow++;
      if (x >= 1) atOrAbove++;
    }
    return {
      ratio: (cur[i] as number) / (base[i] as number),
      low: sorted[Math.floor(tail * (b - 1))] as number,
      high: sorted[Math.ceil((1 - tail) * (b - 1))] as number,
      pGreater: (atOrBelow + 1) / (b + 1),
      pLess: (atOrAbove + 1) / (b + 1),
      n: { baseline: baseline.length, current: current.length },
    };
  });
}
