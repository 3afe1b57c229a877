/**
 * Shapes shared by the capacity search: what one load step measured, how the search is tuned,
 * how a step is judged, and the answer it gives. Plain data so the search can be driven by fake
 * servers in tests and by real load steps in `run-capacity.ts`.
 */

/** What the search turns up: closed-loop concurrency, or open-loop arrival rate (requests/s). */
export type CapacityDimension = 'concurrency' | 'rate';

/** Three latency percentiles in milliseconds; null when the step had no sample for the metric. */
export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Everything one load step measured. Shares are fractions (0.02 = 2 %) of `requests`. */
export interface StepMeasurement {
  /** Concurrency, or requests/s when the dimension is `rate`. */
  load: number;
  requests: number;
  /** Requests that got a full response. */
  completed: number;
  /** Requests answered with 429 (retries are off while measuring, so each 429 is counted once). */
  rateLimited: number;
  /** Failures other than 429. */
  errors: number;
  rateLimitedShare: number;
  errorShare: number;
  durationMs: number;
  /** Completed requests per second over the step. */
  throughputRps: number;
  outputTokensPerSec: number;
  totalTokensPerSec: number;
  /** Completed requests per minute achieved. */
  rpm: number;
  /** Total tokens per minute achieved. */
  tpm: number;
  latencyMs: { ttft: LatencyPercentiles; e2e: LatencyPercentiles };
  /** Whether the step met every SLO the user set; null when no SLO was given. */
  sloPassed: boolean | null;
  /** Human-readable SLO breaches, e.g. `e2e.p95 2.4 s > 2 s`. */
  sloFailures?: string[];
}

export interface CapacityThresholds {
  /** A step whose 429 share is above this is rate limited. Default 0.02. */
  max429Share: number;
  /** A step whose non-429 error share is above this failed. Default 0.01. */
  maxErrorShare: number;
  /**
   * Throughput gain a doubling of load must buy, default 0.05. Steps closer together than a doubling
   * need proportionally less (see `search.ts`), so bisection near a linear region is not misread.
   */
  minGain: number;
}

export interface SearchOptions {
  dimension: CapacityDimension;
  /** First load measured. */
  start: number;
  /** Highest load the search may measure. */
  max: number;
  /** Factor between steps of the exponential phase. */
  growth: number;
  /** Bisection stops once the highest good and lowest bad load are at most this far apart. */
  resolution: number;
  /** Hard bound on the number of steps measured. */
  maxSteps: number;
  thresholds: CapacityThresholds;
}

/** How a step was judged; everything but `good` ends the climb. */
export type VerdictKind = 'good' | 'rate_limited' | 'errors' | 'slo' | 'saturated';

export interface StepVerdict {
  ok: boolean;
  kind: VerdictKind;
  /** One sentence a user can read, e.g. `429 share 12.0% at concurrency 48 > 2.0%`. */
  reason: string;
}

/** A measured step together with the verdict the search gave it when it was recorded. */
export interface CapacityPoint extends StepMeasurement {
  verdict: StepVerdict;
}

export interface CapacityAnswer {
  dimension: CapacityDimension;
  /** Highest good load: met the SLOs, 429 and error shares within thresholds, below any saturated step. */
  sustainable: CapacityPoint | null;
  /** The lowest load that was not good (the other side of the knee), if one was measured. */
  limit: CapacityPoint | null;
  /** Why the search ended, e.g. `429 share 12.0% at concurrency 48 > 2.0%`. */
  stoppedBecause: string;
  /** Lowest measured load with any 429 at all. */
  rateLimitOnset: { load: number; share: number } | null;
  /** Where throughput stopped growing, when that (not 429s, errors or SLOs) was the limit. */
  saturation: { load: number } | null;
  /** Every step, sorted by load. */
  curve: CapacityPoint[];
  /** Number of steps measured. */
  steps: number;
}
