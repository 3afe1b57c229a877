import * as hdr from 'hdr-histogram-js';

/** Duration metrics (DESIGN §3), recorded as integer microseconds, reported as ms. */
export const DURATION_METRICS = [
  'connect',
  'ttfb',
  'ttft',
  'ttfa',
  'itl',
  'tpot',
  'e2e',
  'latency',
  'queue',
] as const;
/** Per-request token counts, recorded as integers. */
export const TOKEN_METRICS = [
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'cached_tokens',
  'reasoning_tokens',
] as const;

export type DurationMetric = (typeof DURATION_METRICS)[number];
export type TokenMetric = (typeof TOKEN_METRICS)[number];
export type MetricName = DurationMetric | TokenMetric;

const DURATION_SET: ReadonlySet<string> = new Set(DURATION_METRICS);
const METRIC_SET: ReadonlySet<string> = new Set([...DURATION_METRICS, ...TOKEN_METRICS]);

export function isDurationMetric(name: string): name is DurationMetric {
  return DURATION_SET.has(name);
}

export function isMetricName(name: string): name is MetricName {
  return METRIC_SET.has(name);
}

/**
 * One histogram configuration for the whole process, so every histogram can be added to every
 * other one. 64-bit buckets: the counts array is a Float64Array, exact up to 2^53, so pooled ITL
 * counts of huge merged runs can never wrap (32-bit buckets overflow silently — reference §7.4
 * gotcha 4). The extra memory is small: ~190 kB for a histogram spanning 1 µs … 1 h.
 */
export const HDR_CONFIG = {
  bitBucketSize: 64,
  autoResize: true,
  lowestDiscernibleValue: 1,
  numberOfSignificantValueDigits: 3,
  useWebAssembly: false,
} as const;

export function newHistogram(): hdr.Histogram {
  return hdr.build(HDR_CONFIG);
}

/** Summary statistics of one metric. Durations in ms (floats, µs resolution); tokens as counts. Null when empty. */
export interface Percentiles {
  count: number;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  stddev: number | null;
}

/** Encoded histograms: metric name → standard HdrHistogram V2 compressed base64 (`HISTF…`). */
export type EncodedHistograms = Partial<Record<MetricName, string>>;

/** ms → the integer µs a histogram holds. HDR records integers only (reference §7.4 gotcha 1). */
export function msToMicros(ms: number): number {
  return Math.max(0, Math.round(ms * 1000));
}

/** Rounds to 3 decimals: µs resolution for ms values, and no float noise like 1.2340000001. */
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Named HdrHistograms for one target. Histograms are created on first record, so a metric that
 * never saw a value (say `reasoning_tokens` against StepFun) is simply absent.
 */
export class HistogramSet {
  private readonly histograms = new Map<MetricName, hdr.Histogram>();
  /**
   * Exact running sum of the recorded values per metric, in stored units (integer µs or tokens),
   * so means (and the totals shown beside them) are exact rather than bucket midpoints: one request
   * of 1,310,727 prompt tokens has a mean of 1,310,727, not its bucket's 1,311,232. Integers add
   * exactly in a double up to 2^53 (≈ 285 years of µs).
   */
  private readonly sums = new Map<MetricName, number>();

  /** Records `value`: ms for duration metrics, a count for token metrics. Non-finite values are ignored. */
  record(name: MetricName, value: number): void {
    if (!Number.isFinite(value)) return;
    const stored = isDurationMetric(name) ? msToMicros(value) : Math.max(0, Math.round(value));
    this.histogramFor(name).recordValue(stored);
    this.sums.set(name, (this.sums.get(name) ?? 0) + stored);
  }

  has(name: MetricName): boolean {
    return this.histograms.has(name);
  }

  names(): MetricName[] {
    return [...this.histograms.keys()];
  }

  count(name: MetricName): number {
    return this.histograms.get(name)?.totalCount ?? 0;
  }

  /**
   * Statistics in report units. min and max come from the histogram buckets (like the
   * percentiles), not from the raw extremes, so a decoded or merged histogram reports exactly
   * the same numbers as the one that recorded the values. `mean` is the exact sum ÷ count
   * (merges add the sums; a decoded set needs them passed to `decode`, else it falls back to the
   * buckets' mean); `stddev` is the buckets'.
   */
  percentiles(name: MetricName): Percentiles {
    const h = this.histograms.get(name);
    if (!h || h.totalCount === 0) {
      return {
        count: 0,
        min: null,
        mean: null,
        p50: null,
        p90: null,
        p95: null,
        p99: null,
        p999: null,
        max: null,
        stddev: null,
      };
    }
    const scale = isDurationMetric(name) ? 1000 : 1;
    const at = (p: number) => round3(h.getValueAtPercentile(p) / scale);
    return {
      count: h.totalCount,
      min: at(0),
      mean: round3((this.sums.get(name) ?? h.mean * h.totalCount) / h.totalCount / scale),
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: at(100),
      stddev: round3(h.stdDeviation / scale),
    };
  }

  encode(): EncodedHistograms {
    const out: EncodedHistograms = {};
    for (const [name, h] of this.histograms) out[name] = hdr.encodeIntoCompressedBase64(h);
    return out;
  }

  /**
   * Rebuilds a set from `encode()` output (or a report's `histograms`). Unknown names are rejected.
   * The encoding holds bucket counts only: pass the exact `means` (report units, e.g. a report's
   * `summary.latency.<metric>.mean` — see `reportedMeans`) to get the exact means back; without
   * them a metric's mean is the buckets' mean.
   */
  static decode(
    encoded: Readonly<Record<string, string | undefined>>,
    means: Readonly<Partial<Record<MetricName, number | null>>> = {},
  ): HistogramSet {
    const set = new HistogramSet();
    for (const [name, base64] of Object.entries(encoded)) {
      if (base64 === undefined) continue;
      if (!isMetricName(name)) throw new Error(`unknown histogram metric "${name}"`);
      const decoded = hdr.decodeFromCompressedBase64(base64, HDR_CONFIG.bitBucketSize, false);
      // Decoded histograms cannot grow (reference §7.4 gotcha 2): copy into a fresh one.
      const h = set.histogramFor(name);
      h.add(decoded);
      const mean = means[name];
      const scale = isDurationMetric(name) ? 1000 : 1;
      set.sums.set(name, mean == null ? h.mean * h.totalCount : mean * scale * h.totalCount);
    }
    return set;
  }

  /** Adds every histogram of `other` into this set (exact: HDR merges bucket counts, sums add). */
  merge(other: HistogramSet): void {
    for (const [name, h] of other.histograms) {
      this.histogramFor(name).add(h);
      this.sums.set(name, (this.sums.get(name) ?? 0) + (other.sums.get(name) ?? h.mean * h.totalCount));
    }
  }

  private histogramFor(name: MetricName): hdr.Histogram {
    let h = this.histograms.get(name);
    if (!h) {
      h = newHistogram();
      this.histograms.set(name, h);
    }
    return h;
  }
}
