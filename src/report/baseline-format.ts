import type { BaselineComparison } from '../compare/compare-runs.js';
import type { MetricDelta } from '../compare/metric-deltas.js';
import { formatFixed, formatMoney, formatMs } from './format.js';

/** How a baseline comparison's figures read, shared by the console, summary.md and `compare`. */

const isRate = (d: MetricDelta) => d.metric === 'pass_rate' || d.metric === 'error_rate';
const isDuration = (d: MetricDelta) => /^(ttft|ttfa|tpot|e2e|latency)\./.test(d.metric);

/** A figure in its unit: 97.5%, 41.2 ms, 123.4 tokens, 0.0012 (cost). */
export function deltaValue(d: MetricDelta, value: number | null): string {
  if (value === null) return '-';
  if (isRate(d)) return `${formatFixed(value * 100, 1)}%`;
  if (isDuration(d)) return `${formatMs(value)} ms`;
  if (d.metric === 'cost.mean') return formatMoney(value);
  return formatFixed(value, 1);
}

const signed = (x: number, text: string) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${text}`;

/** The change: points for rates (−25.0 pp), a share of the baseline otherwise (+38.8%). */
export function deltaChange(d: MetricDelta): string {
  if (isRate(d))
    return d.change === null ? '-' : signed(d.change, `${formatFixed(Math.abs(d.change) * 100, 1)} pp`);
  if (d.relative === null) return '-';
  return signed(d.relative, `${formatFixed(Math.abs(d.relative) * 100, 1)}%`);
}

/** The (1 − α) interval of the change, in the change's unit. */
export function deltaInterval(d: MetricDelta): string {
  if (!d.interval) return '-';
  const unit = isRate(d) ? ' pp' : '%';
  const f = (x: number) => `${x < 0 ? '−' : x > 0 ? '+' : ''}${formatFixed(Math.abs(x) * 100, 1)}`;
  return `[${f(d.interval.low)}, ${f(d.interval.high)}]${unit}`;
}

/** `p=0.003 (mcnemar)`, or why there was no test. */
export function deltaTest(d: MetricDelta): string {
  if (d.p === null) return 'not tested';
  return `${d.p < 0.001 ? 'p<0.001' : `p=${formatFixed(d.p, 3)}`} (${d.test})`;
}

/** REGRESSION, worse (significant, within the threshold), or blank. */
export function deltaVerdict(d: MetricDelta): string {
  if (d.regression) return `REGRESSION (limit ${d.threshold})`;
  if (d.significant) return d.threshold ? `worse, within ${d.threshold}` : 'worse (no threshold)';
  return '';
}

/** One line on what was compared: baseline, α, the thresholds. */
export function comparisonHeadline(c: BaselineComparison): string {
  const verdict =
    c.regressions.length === 0
      ? 'no significant regression'
      : `${c.regressions.length} significant regression${c.regressions.length === 1 ? '' : 's'}`;
  return `${verdict} against ${c.baseline.path} (started ${c.baseline.startedAt}) at α = ${c.alpha}`;
}
