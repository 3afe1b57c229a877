import { UserError } from '../errors.js';

/**
 * What a baseline comparison measures and how much worse each figure may get (`--max-regression`).
 * One place for the metric names, which way is worse, and the defaults.
 */

/** Durations compared, from results or the report's histograms. itl is left out: it is per gap, not per request. */
export const COMPARED_DURATIONS = ['ttft', 'ttfa', 'tpot', 'e2e', 'latency'] as const;
export type ComparedDuration = (typeof COMPARED_DURATIONS)[number];
const DURATION_STATS = ['p50', 'p90', 'p95', 'p99', 'mean'] as const;
type DurationStat = (typeof DURATION_STATS)[number];

export type ComparedMetric =
  | { kind: 'rate'; name: 'pass_rate' | 'error_rate' }
  | { kind: 'duration'; metric: ComparedDuration; stat: DurationStat }
  | { kind: 'tokens'; name: 'completion_tokens' | 'total_tokens' }
  | { kind: 'cost' };

/** `pass_rate`, `ttft.p95`, `completion_tokens.mean`, `cost.mean`: the key a delta is known by. */
export function metricKey(m: ComparedMetric): string {
  switch (m.kind) {
    case 'rate':
      return m.name;
    case 'duration':
      return `${m.metric}.${m.stat}`;
    case 'tokens':
      return `${m.name}.mean`;
    case 'cost':
      return 'cost.mean';
  }
}

/** Every figure is worse when it grows, except the pass rate. */
export function higherIsWorse(m: ComparedMetric): boolean {
  return !(m.kind === 'rate' && m.name === 'pass_rate');
}

export interface Threshold {
  text: string;
  /** Null: every target. */
  target: string | null;
  metric: ComparedMetric;
  /**
   * How far the figure may move the worse way before a significant change is a regression:
   * a share of the baseline (`relative`, 0.2 for +20 %), ms for durations, or points for rates.
   */
  amount: number;
  relative: boolean;
}

/** Used when `--baseline` is given without any `--max-regression` (docs/baseline.md). */
export const DEFAULT_MAX_REGRESSION = [
  'pass_rate:-0.02',
  'error_rate:+0.01',
  'ttft.p95:+20%',
  'tpot.p50:+20%',
  'e2e.p95:+20%',
] as const;

/** Shown in every comparison even without a threshold on them. */
export const SHOWN_METRICS = [
  'pass_rate',
  'error_rate',
  'ttft.p50',
  'ttft.p95',
  'tpot.p50',
  'e2e.p50',
  'e2e.p95',
  'completion_tokens.mean',
  'cost.mean',
] as const;

/** The figures each target is compared on against the reference target of the same run (targets-compare.ts). */
export const TARGET_COMPARED_METRICS = [
  'pass_rate',
  'error_rate',
  'ttft.p50',
  'ttft.p95',
  'ttfa.p50',
  'ttfa.p95',
  'tpot.p50',
  'tpot.p95',
  'e2e.p50',
  'e2e.p95',
  'completion_tokens.mean',
  'cost.mean',
] as const;

const SYNTAX =
  "expected [target:]<metric>:<change> such as 'ttft.p95:+20%', 'e2e.p50:+150ms', 'pass_rate:-0.05' or " +
  "'step-3.5-flash:error_rate:+0.01' (metrics: pass_rate, error_rate, " +
  `<${COMPARED_DURATIONS.join('|')}>.<${DURATION_STATS.join('|')}>, completion_tokens.mean, total_tokens.mean, cost.mean)`;

function thresholdError(text: string, problem: string): UserError {
  return new UserError(`invalid --max-regression '${text}': ${problem}; ${SYNTAX}`);
}

/** Reads a metric key (`ttft.p95`, `pass_rate`, …); undefined when it is not one. */
export function parseMetricKey(key: string): ComparedMetric | undefined {
  const name = key.trim().toLowerCase();
  if (name === 'pass_rate' || name === 'error_rate') return { kind: 'rate', name };
  if (name === 'cost.mean' || name === 'cost') return { kind: 'cost' };
  if (name === 'completion_tokens.mean' || name === 'completion_tokens')
    return { kind: 'tokens', name: 'completion_tokens' };
  if (name === 'total_tokens.mean' || name === 'total_tokens')
    return { kind: 'tokens', name: 'total_tokens' };
  const [metric, stat = 'p50', extra] = name.split('.');
  if (extra !== undefined) return undefined;
  if (!(COMPARED_DURATIONS as readonly string[]).includes(metric ?? '')) return undefined;
  if (!(DURATION_STATS as readonly string[]).includes(stat)) return undefined;
  return { kind: 'duration', metric: metric as ComparedDuration, stat: stat as DurationStat };
}

/**
 * `[target:]metric:change`. The change is signed the worse way (`+` for latency, tokens, cost and
 * the error rate, `-` for the pass rate; an unsigned one means the worse way): `+20%` is relative
 * to the baseline, `+150ms`/`+1s` absolute for durations, `-0.05` (or `-5pp`) points for rates.
 */
export function parseThreshold(input: string): Threshold {
  const text = input.trim();
  const cut = text.lastIndexOf(':');
  if (cut <= 0) throw thresholdError(text, 'no change after the metric');
  const head = text.slice(0, cut);
  const changeText = text.slice(cut + 1).trim();
  const metricCut = head.lastIndexOf(':');
  const target = metricCut >= 0 ? head.slice(0, metricCut).trim() || null : null;
  const metricText = metricCut >= 0 ? head.slice(metricCut + 1) : head;
  const metric = parseMetricKey(metricText);
  if (!metric) throw thresholdError(text, `unknown metric '${metricText.trim()}'`);
  const m = /^([+-]?)\s*(\d+(?:\.\d+)?)\s*(%|pp|ms|s)?$/i.exec(changeText);
  if (!m) throw thresholdError(text, `cannot read the change '${changeText}'`);
  const [, sign = '', digits = '', unitText] = m;
  const unit = unitText?.toLowerCase();
  const worseSign = higherIsWorse(metric) ? '+' : '-';
  if (sign !== '' && sign !== worseSign) {
    throw thresholdError(
      text,
      `${metricKey(metric)} gets worse as it ${worseSign === '+' ? 'grows' : 'falls'}: write ${worseSign}${digits}${unitText ?? ''}`,
    );
  }
  const value = Number(digits);
  let amount: number;
  let relative = false;
  if (unit === '%') {
    if (metric.kind === 'rate') {
      throw thresholdError(
        text,
        `a rate moves in points: write ${worseSign}${value / 100} (or ${worseSign}${value}pp)`,
      );
    }
    amount = value / 100;
    relative = true;
  } else if (unit === 'ms' || unit === 's') {
    if (metric.kind !== 'duration') throw thresholdError(text, `${unit} is for durations only`);
    amount = unit === 's' ? value * 1000 : value;
  } else if (unit === 'pp') {
    if (metric.kind !== 'rate')
      throw thresholdError(text, 'pp (points) is for pass_rate and error_rate only');
    amount = value / 100;
  } else {
    if (metric.kind === 'duration')
      throw thresholdError(text, `'${changeText}' has no unit: write +20%, +150ms or +1s`);
    if (metric.kind === 'rate' && value > 1)
      throw thresholdError(text, `'${changeText}' is more than a whole rate`);
    amount = value;
  }
  return { text, target, metric, amount, relative };
}

/** The thresholds in force: the user's, or the defaults when none was given. */
export function thresholdsOrDefaults(texts: readonly string[] | undefined): Threshold[] {
  const list = texts && texts.length > 0 ? texts : DEFAULT_MAX_REGRESSION;
  return list.map((t) => parseThreshold(t));
}
