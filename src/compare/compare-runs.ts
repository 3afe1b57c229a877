import { UserError } from '../errors.js';
import { type MetricDelta, targetDeltas } from './metric-deltas.js';
import { compareRows, type RowChanges } from './row-changes.js';
import type { RunSide } from './run-side.js';
import {
  type ComparedMetric,
  metricKey,
  parseMetricKey,
  SHOWN_METRICS,
  type Threshold,
} from './thresholds.js';

/** Significance level when none is given: stated in every comparison. */
export const DEFAULT_ALPHA = 0.05;

export interface CompareOptions {
  thresholds: readonly Threshold[];
  alpha?: number;
  /** Seeds the bootstrap resampling; the same inputs and seed give the same answer. */
  seed?: number;
}

/** A baseline comparison as it goes into `report.json` (`baseline`) and `compare`'s output. */
export interface BaselineComparison {
  /** The baseline as given, and its run's id and start. */
  baseline: { path: string; runId: string; startedAt: string; source: RunSide['source'] };
  current: { path: string; runId: string; startedAt: string; source: RunSide['source'] };
  alpha: number;
  /** The thresholds in force (`--max-regression`, or the defaults). */
  thresholds: string[];
  /** Each current target and the baseline target it was compared with. */
  targets: Array<{ target: string; baselineTarget: string | null }>;
  deltas: MetricDelta[];
  /** Per-row changes; null when either run has no results.jsonl at hand. */
  rows: RowChanges | null;
  /** The figures that regressed (significant and beyond their threshold). */
  regressions: Array<{ target: string; metric: string; threshold: string }>;
  /** Said once, plainly: what was compared and what could not be. */
  notes: string[];
}

/** The significance level given to `compare` or `report` (the run's goes through its settings schema), or the default. */
export function alphaOrDefault(alpha: number | undefined): number {
  const a = alpha ?? DEFAULT_ALPHA;
  if (!(a > 0 && a <= 0.5)) throw new UserError(`--alpha must be a number > 0 and ≤ 0.5 (got ${a})`);
  return a;
}

/** A threshold for a target the run does not have is a mistake in the command line: said, not ignored. */
export function checkThresholdTargets(
  thresholds: readonly Threshold[],
  targets: readonly string[],
  run = 'this run',
): void {
  for (const t of thresholds) {
    if (t.target !== null && !targets.includes(t.target)) {
      throw new UserError(
        `--max-regression '${t.text}' names target ${t.target}, which ${run} does not have (it has ${targets.join(', ')})`,
      );
    }
  }
}

/** Compares a finished run (`current`) with an earlier one (`baseline`). */
export function compareRuns(
  baseline: RunSide,
  current: RunSide,
  options: CompareOptions,
): BaselineComparison {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const notes: string[] = [];
  const baseNames = baseline.report.targets.map((t) => t.name);
  const curNames = current.report.targets.map((t) => t.name);
  const soleRename = baseNames.length === 1 && curNames.length === 1 && baseNames[0] !== curNames[0];
  const baselineTarget = (name: string): string | undefined =>
    baseNames.includes(name) ? name : soleRename ? baseNames[0] : undefined;
  if (soleRename)
    notes.push(`one target in each run: ${curNames[0]} is compared with the baseline's ${baseNames[0]}`);

  checkThresholdTargets(options.thresholds, curNames, current.path);
  const rows = compareRows(baseline, current, baselineTarget);
  if (!rows) {
    const which = [baseline, current].filter((s) => s.rows === null).map((s) => s.path);
    notes.push(
      `no results.jsonl beside ${which.join(' and ')}: per-row changes are not available, and latencies ` +
        'are drawn from the report histograms (at most 1,000 values a side)',
    );
  }

  const metrics: ComparedMetric[] = [];
  const addMetric = (m: ComparedMetric) => {
    if (!metrics.some((x) => metricKey(x) === metricKey(m))) metrics.push(m);
  };
  for (const key of SHOWN_METRICS) addMetric(parseMetricKey(key) as ComparedMetric);
  for (const t of options.thresholds) addMetric(t.metric);

  const deltas: MetricDelta[] = [];
  const targets: BaselineComparison['targets'] = [];
  for (const name of curNames) {
    const other = baselineTarget(name);
    targets.push({ target: name, baselineTarget: other ?? null });
    const cur = current.targets.get(name);
    const base = other === undefined ? undefined : baseline.targets.get(other);
    if (!cur || !base) {
      notes.push(`target ${name} is not in the baseline: nothing to compare it with`);
      continue;
    }
    deltas.push(
      ...targetDeltas(name, base, cur, metrics, options.thresholds, rows?.judgedBoth[name], {
        alpha,
        seed: options.seed ?? 1,
      }),
    );
  }
  const side = (s: RunSide) => ({
    path: s.path,
    runId: s.report.run.id,
    startedAt: s.report.run.startedAt,
    source: s.source,
  });
  return {
    baseline: side(baseline),
    current: side(current),
    alpha,
    thresholds: options.thresholds.map((t) => t.text),
    targets,
    deltas,
    rows,
    regressions: deltas
      .filter((d) => d.regression)
      .map((d) => ({ target: d.target, metric: d.metric, threshold: d.threshold ?? '' })),
    notes,
  };
}
