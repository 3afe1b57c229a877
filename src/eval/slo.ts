import { UserError } from '../errors.js';
import { parseDuration } from '../plan/duration.js';
import { isSuccess } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';

/**
 * Per-request latency metrics an SLO can bound. `itl` is deliberately absent: it is pooled over
 * all chunks of all requests, so "this request met its ITL objective" has no single value to
 * test; `tpot` is the per-request equivalent.
 */
export const SLO_METRICS = ['ttft', 'ttfa', 'tpot', 'e2e', 'latency', 'queue'] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

/**
 * One service-level objective, e.g. `ttft.p95<2s`: at least 95 % of requests must have a TTFT
 * below 2 s. Without a percentile every request must meet the threshold (percentile 100).
 */
export interface Slo {
  /** The text the user wrote (trimmed), for reports and messages. */
  text: string;
  metric: SloMetric;
  /** 0 < percentile ≤ 100; 100 when none was given. */
  percentile: number;
  thresholdMs: number;
  /** True for `<=`, false for `<`. */
  inclusive: boolean;
}

const SLO_METRIC_SET: ReadonlySet<string> = new Set(SLO_METRICS);

function sloError(flag: string, text: string, problem: string): UserError {
  return new UserError(
    `invalid ${flag} '${text}': ${problem}; expected <metric>[.p<NN>]<duration bound> such as ` +
      `${flag} 'ttft.p95<2s' or ${flag} 'e2e<=30s' (metrics: ${SLO_METRICS.join(', ')})`,
  );
}

/**
 * Parses `<metric>[.p<NN>]<op><duration>`. The duration must carry a unit (`50ms`, `2s`,
 * `1.5s`, `1m`): every other stepbench time flag reads a bare number as seconds while latency
 * people often think in ms, so `ttft<200` is too ambiguous to guess and is rejected.
 * `flag` only names the option in messages (`--gate` reuses this syntax).
 */
export function parseSlo(text: string, flag = '--slo'): Slo {
  const trimmed = text.trim();
  const opMatch = /(<=|>=|<|>|==|=)/.exec(trimmed);
  if (!opMatch) throw sloError(flag, trimmed, 'no comparison found');
  const op = opMatch[1] as string;
  if (op !== '<' && op !== '<=') {
    throw sloError(flag, trimmed, `'${op}' is not allowed: an SLO is an upper bound, use < or <=`);
  }
  const left = trimmed.slice(0, opMatch.index).trim().toLowerCase();
  const right = trimmed.slice(opMatch.index + op.length).trim();

  const [metricText, percentileText, ...extra] = left.split('.p');
  if (extra.length > 0 || metricText === undefined || metricText === '') {
    throw sloError(flag, trimmed, `cannot read the metric from '${left}'`);
  }
  const metric = parseMetric(flag, trimmed, metricText);
  const percentile = percentileText === undefined ? 100 : parsePercentile(flag, trimmed, percentileText);
  const thresholdMs = parseThreshold(flag, trimmed, right);
  return { text: trimmed, metric, percentile, thresholdMs, inclusive: op === '<=' };
}

function parseMetric(flag: string, text: string, metric: string): SloMetric {
  if (SLO_METRIC_SET.has(metric)) return metric as SloMetric;
  if (metric === 'itl') {
    throw sloError(flag, text, 'itl is pooled over all requests, not per request; use tpot instead');
  }
  throw sloError(flag, text, `unknown metric '${metric}'`);
}

function parsePercentile(flag: string, text: string, digits: string): number {
  if (!/^\d+(\.\d+)?$/.test(digits)) throw sloError(flag, text, `'p${digits}' is not a percentile`);
  const value = Number(digits);
  if (value > 100) {
    // p999 is a common spelling of p99.9 in report columns; say so rather than fail obscurely.
    const hint = /^9+$/.test(digits) ? ` (for 99.9 write p99.9)` : '';
    throw sloError(flag, text, `percentile p${digits} is above 100${hint}`);
  }
  if (value <= 0) throw sloError(flag, text, `percentile p${digits} must be above 0`);
  return value;
}

function parseThreshold(flag: string, text: string, duration: string): number {
  if (duration === '') throw sloError(flag, text, 'the duration is missing');
  if (/^\d+(\.\d+)?$/.test(duration)) {
    throw sloError(flag, text, `'${duration}' needs a unit: write ${duration}ms or ${duration}s`);
  }
  let ms: number;
  try {
    ms = parseDuration(duration, flag);
  } catch {
    throw sloError(flag, text, `'${duration}' is not a duration such as 50ms, 1.5s or 2m`);
  }
  if (!(ms > 0)) throw sloError(flag, text, 'the duration must be above 0');
  return ms;
}

/**
 * Whether one finished request met one SLO's threshold. A request whose wire outcome failed
 * (HTTP error, 429, timeout, network, truncated stream, content filter, mid-stream error) fails
 * every SLO: the user did not get an answer within the objective, whatever the partial timings
 * say. `assertion_failed` and `length` got a complete answer, so their latency counts as any
 * other; judging the content is the assertions' job, not the SLO's. A missing metric (no answer
 * token, so no `ttfa`; a one-token reply, so no `tpot`) does not meet the threshold either.
 */
export function meetsSlo(result: JobResult, slo: Slo): boolean {
  if (!isSuccess(result.outcome)) return false;
  const value = result.durations[slo.metric];
  if (value === undefined || !Number.isFinite(value)) return false;
  return slo.inclusive ? value <= slo.thresholdMs : value < slo.thresholdMs;
}

/** Goodput and per-SLO verdicts over one measurement window. */
export interface GoodputSummary {
  /** Requests counted (interrupted ones excluded, see GoodputTracker). */
  requests: number;
  /** Requests that met every SLO. */
  good: number;
  goodShare: number | null;
  /** good / window seconds; null without requests or with an empty window. */
  goodputPerSec: number | null;
  slos: Array<{ text: string; metShare: number | null; required: number; passed: boolean | null }>;
  /** Every SLO passed; null without requests. */
  passed: boolean | null;
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * Whether `met` of `total` requests reach `percentile` %. Compared on the integer side
 * (met·100 ≥ p·total) so exactly 95 of 100 passes p95 despite float division; the epsilon
 * absorbs binary noise in fractional percentiles like 99.9.
 */
function reaches(met: number, total: number, percentile: number): boolean {
  return met * 100 + 1e-9 * total >= percentile * total;
}

/**
 * Counts, per SLO, how many finished requests met it, and how many met all of them (vLLM's
 * goodput, made percentile-aware). Counting every finished request — errors included, as
 * failures — means a run that answers fast but fails 10 % of its requests cannot pass a p95
 * objective. Interrupted jobs (Ctrl-C) are left out: the user stopped them, the service did not
 * fail them. Without SLOs every successful request is good, so goodput equals the success rate.
 */
export class GoodputTracker {
  private readonly slos: readonly Slo[];
  private readonly met: number[];
  private requests = 0;
  private good = 0;

  constructor(slos: Slo[]) {
    this.slos = [...slos];
    this.met = slos.map(() => 0);
  }

  add(result: JobResult): void {
    if (result.outcome === 'interrupted') return;
    this.requests++;
    let allMet = isSuccess(result.outcome);
    this.slos.forEach((slo, i) => {
      if (meetsSlo(result, slo)) this.met[i]!++;
      else allMet = false;
    });
    if (allMet) this.good++;
  }

  /** `windowMs` is the measurement window the rate is over (warmup excluded), as for throughput. */
  summary(windowMs: number): GoodputSummary {
    const { requests, good } = this;
    const slos = this.slos.map((slo, i) => {
      const met = this.met[i]!;
      return {
        text: slo.text,
        metShare: requests > 0 ? round(met / requests, 6) : null,
        required: round(slo.percentile / 100, 6),
        passed: requests > 0 ? reaches(met, requests, slo.percentile) : null,
      };
    });
    return {
      requests,
      good,
      goodShare: requests > 0 ? round(good / requests, 6) : null,
      goodputPerSec: requests > 0 && windowMs > 0 ? round(good / (windowMs / 1000), 3) : null,
      slos,
      passed: requests > 0 ? slos.every((s) => s.passed === true) : null,
    };
  }

  /** Adds `other`'s counts (another shard or target with the same SLOs, in any order). */
  merge(other: GoodputTracker): void {
    const indexByText = new Map(this.slos.map((slo, i) => [slo.text, i]));
    if (other.slos.length !== this.slos.length || other.slos.some((slo) => !indexByText.has(slo.text))) {
      throw new Error(
        `cannot merge goodput over different SLOs: [${this.slos.map((s) => s.text).join(', ')}] vs [${other.slos.map((s) => s.text).join(', ')}]`,
      );
    }
    other.slos.forEach((slo, i) => {
      this.met[indexByText.get(slo.text)!]! += other.met[i]!;
    });
    this.requests += other.requests;
    this.good += other.good;
  }
}
