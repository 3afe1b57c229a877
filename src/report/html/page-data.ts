import type { CapacityAnswer } from '../../capacity/types.js';
import type { BaselineComparison } from '../../compare/compare-runs.js';
import { LISTED_CHANGES } from '../../compare/row-changes.js';
import type { BadRow } from '../../dataset/types.js';
import type { GateResult } from '../../eval/gate.js';
import type { GoodputSummary } from '../../eval/slo.js';
import { type DurationMetric, isDurationMetric } from '../../metrics/histograms.js';
import type { TargetSummary } from '../../metrics/target-metrics.js';
import type { ErrorMessageCount } from '../../results/error-digest.js';
import { OUTCOME_CLASSES, type OutcomeClass } from '../../results/outcomes.js';
import type { Report, ReportEnvironment, ReportLimits, ReportTarget } from '../schema.js';
import type { Flip, RowsInfo } from './page-rows.js';
import {
  binCounts,
  binEdges,
  decodeHistogram,
  percentileCurve,
  percentileGrid,
  recordedValues,
  type ValueCount,
} from './percentile-curve.js';
import { type TimelineSeries, timelineSeries } from './timeline-series.js';

/** The latency charts, in the order the page shows them. */
export const CHART_METRICS: readonly DurationMetric[] = ['ttft', 'itl', 'tpot', 'e2e', 'latency'];
const HISTOGRAM_BINS = 40;
const BAD_ROW_EXAMPLES = 20;

export interface PercentileChart {
  metric: DurationMetric;
  /** 1/(1−p) for each point (1 = p0, 100 = p99). */
  x: number[];
  /** Per target, ms at each x; null past the target's count. */
  series: Array<{ target: string; count: number; y: (number | null)[] }>;
}

export interface HistogramChart {
  metric: DurationMetric;
  /** Bin edges, ms (one more than bins). */
  edges: number[];
  log: boolean;
  series: Array<{ target: string; counts: number[] }>;
}

export interface PageTarget {
  name: string;
  model: string;
  baseUrl: string;
  stream: boolean;
  params: Record<string, unknown>;
  price: ReportTarget['price'];
  summary: TargetSummary;
  goodput: GoodputSummary | null;
}

export interface ErrorClass {
  outcome: string;
  /** Per target, in the targets' order. */
  counts: number[];
  examples: ErrorMessageCount[];
}

/** Everything the page draws, except the table rows (page-rows.ts). Plain JSON. */
export interface PageData {
  title: string;
  generatedAt: string;
  run: { id: string; startedAt: string; endedAt: string; wallMs: number; stepbenchVersion: string };
  environment: ReportEnvironment;
  dataset: { files: string[]; rows: number; badRows: number; badRowExamples: BadRow[] };
  /** Said at the top: stopped early, failed, resumed. */
  notices: string[];
  targets: PageTarget[];
  /** The target the others are diffed against. */
  reference: string | null;
  gates: GateResult[];
  slos: string[];
  checks: Report['checks'] | null;
  latency: PercentileChart[];
  histograms: HistogramChart[];
  timeline: TimelineSeries | null;
  capacity: CapacityAnswer | null;
  errors: ErrorClass[];
  baseline: BaselineComparison | null;
  /** How many rows of each kind the baseline comparison lists (the rest are counted only). */
  baselineListed: number;
  /** `report.comparison`, when a run compared its targets: shown as it is. */
  comparison: unknown;
  config: {
    command: string[];
    options: Record<string, unknown>;
    limits: ReportLimits | null;
    health: Report['health'] | null;
    repeats: Report['repeats'] | null;
    grader: Report['grader'] | null;
  };
  /** `tornTail`: the last line of results.jsonl was cut off; `missing`: there was no results.jsonl. */
  rows: RowsInfo & { tornTail: boolean; missing: boolean };
}

/** Fields that other parts of stepbench add to a report; read defensively, never required. */
type ReportExtras = Report & { capacity?: CapacityAnswer; comparison?: unknown };

/** The page's title (also its `<title>`, written before the data). */
export function pageTitle(report: Report): string {
  return `stepbench report · ${report.run.id}`;
}

/** The flip of each job key against the baseline, for the rows the comparison lists. */
export function baselineFlips(report: Report): Map<string, Flip> {
  const flips = new Map<string, Flip>();
  const rows = report.baseline?.rows;
  if (!rows) return flips;
  for (const r of rows.changedRows) flips.set(r.key, 'changed');
  for (const r of rows.fixedRows) flips.set(r.key, 'fixed');
  for (const r of rows.regressedRows) flips.set(r.key, 'regressed');
  return flips;
}

export function pageData(report: Report, rows: PageData['rows']): PageData {
  const extras = report as ReportExtras;
  const names = report.targets.map((t) => t.name);
  const comparison = extras.comparison;
  const proposed =
    comparison && typeof comparison === 'object' && 'reference' in comparison
      ? (comparison as { reference?: unknown }).reference
      : undefined;
  const reference = typeof proposed === 'string' && names.includes(proposed) ? proposed : (names[0] ?? null);
  return {
    title: pageTitle(report),
    generatedAt: report.generatedAt,
    run: {
      id: report.run.id,
      startedAt: report.run.startedAt,
      endedAt: report.run.endedAt,
      wallMs: report.run.wallMs,
      stepbenchVersion: report.run.stepbenchVersion,
    },
    environment: report.environment,
    dataset: {
      files: report.dataset.files,
      rows: report.dataset.rows,
      badRows: report.dataset.badRows.length,
      badRowExamples: report.dataset.badRows.slice(0, BAD_ROW_EXAMPLES),
    },
    notices: notices(report),
    targets: report.targets.map((t) => ({
      name: t.name,
      model: t.model,
      baseUrl: t.baseUrl,
      stream: t.stream,
      params: t.params,
      price: t.price,
      summary: t.summary,
      goodput: report.goodput?.[t.name] ?? null,
    })),
    reference,
    gates: report.gates ?? [],
    slos: report.slos ?? [],
    checks: report.checks ?? null,
    latency: CHART_METRICS.map((m) => percentileChart(report.targets, m)),
    histograms: CHART_METRICS.map((m) => histogramChart(report.targets, m)),
    timeline: report.timeline ? timelineSeries(report.timeline, report.phases ?? []) : null,
    capacity: extras.capacity ?? null,
    errors: errorClasses(report),
    baseline: report.baseline ?? null,
    baselineListed: LISTED_CHANGES,
    comparison: comparison ?? null,
    config: {
      command: report.run.command,
      options: report.run.options,
      limits: report.limits ?? null,
      health: report.health ?? null,
      repeats: report.repeats ?? null,
      grader: report.grader ?? null,
    },
    rows,
  };
}

function notices(report: Report): string[] {
  const out: string[] = [];
  if (report.aborted) out.push(`The run stopped early: ${report.aborted.reason}`);
  if (report.failed) out.push(`The run failed: ${report.failed.reason}`);
  if (report.resumed)
    out.push(
      `Resumed: ${report.resumed.kept} results kept from the earlier run, ${report.resumed.rerun} run again.`,
    );
  return out;
}

function percentileChart(targets: readonly ReportTarget[], metric: DurationMetric): PercentileChart {
  const decoded = targets.map((t) => {
    const encoded = t.histograms[metric];
    return { target: t.name, h: encoded ? decodeHistogram(encoded) : null };
  });
  const counts = decoded.map((d) => d.h?.totalCount ?? 0);
  const x = percentileGrid(counts);
  const scale = isDurationMetric(metric) ? 1000 : 1;
  return {
    metric,
    x,
    series: decoded.map((d, i) => ({
      target: d.target,
      count: counts[i] ?? 0,
      y: d.h ? percentileCurve(d.h, x, scale) : x.map(() => null),
    })),
  };
}

function histogramChart(targets: readonly ReportTarget[], metric: DurationMetric): HistogramChart {
  const values: Array<{ target: string; values: ValueCount[] }> = targets.map((t) => {
    const encoded = t.histograms[metric];
    const ms = encoded
      ? recordedValues(decodeHistogram(encoded)).map((v) => ({ value: v.value / 1000, count: v.count }))
      : [];
    return { target: t.name, values: ms };
  });
  const all = values.flatMap((v) => v.values.map((x) => x.value));
  if (all.length === 0) return { metric, edges: [], log: false, series: [] };
  const min = Math.min(...all);
  const max = Math.max(...all);
  const edges = binEdges(min, max, HISTOGRAM_BINS).map((e) => Math.round(e * 1000) / 1000);
  return {
    metric,
    edges,
    log: min > 0 && max / min > 10,
    series: values.map((v) => ({ target: v.target, counts: binCounts(v.values, edges) })),
  };
}

/** Every outcome other than ok that any target saw, with its counts and the most frequent messages. */
function errorClasses(report: Report): ErrorClass[] {
  const out: ErrorClass[] = [];
  const classes = new Set<string>([
    ...OUTCOME_CLASSES,
    ...report.targets.flatMap((t) => Object.keys(t.summary.outcomes)),
  ]);
  for (const outcome of classes) {
    if (outcome === 'ok') continue;
    const counts = report.targets.map((t) => t.summary.outcomes[outcome as OutcomeClass] ?? 0);
    const examples = report.errorMessages?.[outcome as OutcomeClass] ?? [];
    if (counts.some((c) => c > 0) || examples.length > 0) out.push({ outcome, counts, examples });
  }
  return out;
}
