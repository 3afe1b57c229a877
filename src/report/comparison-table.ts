import type { MetricDelta } from '../compare/metric-deltas.js';
import type { ComparedTarget, Share } from '../compare/targets-compare.js';
import type { DurationMetric } from '../metrics/histograms.js';
import { isError, type OutcomeClass } from '../results/outcomes.js';
import { formatFixed, formatInt, formatMoney, formatMs, formatPercent } from './format.js';
import type { Report, ReportTarget } from './schema.js';

/** The comparison of a run's targets as a table, shared by the console and summary.md. */

interface Figure {
  label: string;
  value: (t: ReportTarget) => string;
  /** The metric whose delta is shown beside a non-reference target's value. */
  delta?: string;
  /** Read from the comparison rather than the report's summary. */
  agreement?: 'exact' | 'normalised' | 'sameVerdict';
}

const ms = (v: number | null) => (v === null ? '-' : `${formatMs(v)} ms`);
const latency = (metric: DurationMetric, stat: 'p50' | 'p95'): Figure => ({
  label: `${metric} ${stat}`,
  value: (t) => ms(t.summary.latency[metric][stat]),
  delta: `${metric}.${stat}`,
});
const errorCount = (t: ReportTarget) =>
  Object.entries(t.summary.outcomes).reduce((n, [o, c]) => n + (isError(o as OutcomeClass) ? c : 0), 0);

/** The rows of the table, in the order a reader asks: did it answer, rightly, alike, how fast, at what cost. */
const FIGURES: readonly Figure[] = [
  { label: 'requests', value: (t) => formatInt(t.summary.requests) },
  { label: 'success rate', value: (t) => formatPercent(t.summary.successRate) },
  {
    label: 'pass rate',
    value: (t) => (t.summary.checks.judged > 0 ? formatPercent(t.summary.checks.passRate) : '-'),
    delta: 'pass_rate',
  },
  { label: 'agree: exact', value: () => '-', agreement: 'exact' },
  { label: 'agree: normalised', value: () => '-', agreement: 'normalised' },
  { label: 'same verdict', value: () => '-', agreement: 'sameVerdict' },
  latency('ttft', 'p50'),
  latency('ttft', 'p95'),
  latency('ttfa', 'p50'),
  latency('tpot', 'p50'),
  latency('e2e', 'p50'),
  latency('e2e', 'p95'),
  {
    label: 'output tok mean',
    value: (t) => {
      const mean = t.summary.tokens.completion.perRequest.mean;
      return mean === null ? '-' : formatFixed(mean, 1);
    },
    delta: 'completion_tokens.mean',
  },
  {
    label: 'cost total',
    // An unknown price is said, never shown as 0.
    value: (t) =>
      t.summary.cost.currency === null
        ? 'unknown'
        : `${t.summary.cost.currency} ${formatMoney(t.summary.cost.total)}`,
    delta: 'cost.mean',
  },
  { label: 'errors', value: (t) => formatInt(errorCount(t)), delta: 'error_rate' },
];

const signed = (x: number, text: string) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${text}`;

/**
 * `+38% *`: the change against the reference, starred when significant (two-sided p < α); rates
 * in points, the rest as a share of the reference (whole per cent from 10 % up, to keep cells narrow).
 */
export function compactChange(d: MetricDelta | undefined): string {
  if (!d) return '';
  const star = d.significant ? ' *' : '';
  if (d.metric === 'pass_rate' || d.metric === 'error_rate')
    return d.change === null
      ? ''
      : `${signed(d.change, `${formatFixed(Math.abs(d.change) * 100, 1)} pp`)}${star}`;
  if (d.relative === null) return '';
  const pct = Math.abs(d.relative) * 100;
  return `${signed(d.relative, `${formatFixed(pct, pct >= 10 ? 0 : 1)}%`)}${star}`;
}

export function shareText(s: Share): string {
  return s.share === null ? '-' : `${formatPercent(s.share)} (${formatInt(s.count)}/${formatInt(s.of)})`;
}

export interface ComparisonTable {
  reference: ReportTarget;
  /** The reference first, then the others in the run's order. */
  columns: ReportTarget[];
  /** Each figure's cell per column: the value, and for the others its change (`21.7 ms −1.9%`). */
  rows: Array<{ label: string; cells: string[] }>;
}

/**
 * The table of a report with several targets. Values come from the report's summaries; changes,
 * tests and agreement from `report.comparison` (without one, the values alone). Undefined when
 * the report names no reference it has.
 */
export function comparisonTable(report: Report): ComparisonTable | undefined {
  const c = report.comparison;
  const reference = report.targets.find((t) => t.name === (c?.reference ?? report.targets[0]?.name));
  if (!reference) return undefined;
  const columns = [reference, ...report.targets.filter((t) => t !== reference)];
  const compared = new Map<string, ComparedTarget>((c?.targets ?? []).map((t) => [t.target, t]));
  const rows = FIGURES.map((f) => ({
    label: f.label,
    cells: columns.map((t) => {
      const own = compared.get(t.name);
      if (f.agreement)
        return t === reference || !own?.agreement ? '-' : shareText(own.agreement[f.agreement]);
      const change = t === reference ? '' : compactChange(own?.deltas.find((d) => d.metric === f.delta));
      return change ? `${f.value(t)} ${change}` : f.value(t);
    }),
  }));
  return { reference, columns, rows };
}

/** What the changes and the star mean, said under every comparison table. */
export function comparisonLegend(alpha: number): string[] {
  return [
    'Change against the reference: points for rates, a share of its value otherwise',
    `(cost: of the mean per request) · * differs significantly: two-sided p < ${alpha}`,
  ];
}

/** What a differing row shows for one target: the reference's answer, "(the same answer)", or the word diff against it. */
export function differingRowText(
  o: { target: string; output?: string; error?: string; same?: boolean; diff?: string },
  reference: string,
): string {
  if (o.output === undefined) return o.error ?? 'no answer';
  if (o.target === reference) return o.output;
  return o.same ? '(the same answer)' : (o.diff ?? o.output);
}
