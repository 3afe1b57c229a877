import { UserError } from '../errors.js';
import type { Report } from '../report/schema.js';
import { DEFAULT_ALPHA } from './compare-runs.js';
import { type MetricDelta, targetDeltas } from './metric-deltas.js';
import {
  emptySamples,
  type RowRecord,
  type RunSide,
  samplesFromResults,
  type TargetSamples,
} from './run-side.js';
import { pairTargetRows, type TargetAgreement, type TargetRows } from './target-rows.js';
import { type ComparedMetric, parseMetricKey, TARGET_COMPARED_METRICS } from './thresholds.js';

export type { DifferingRow, RowOutput, Share, TargetAgreement, TargetRows } from './target-rows.js';

export interface TargetsCompareOptions {
  /** The target the others are set against; the run's first target when absent. */
  reference?: string;
  alpha?: number;
  /** Seeds the bootstrap resampling; the same results and seed give the same answer. */
  seed?: number;
}

/** One target beside the reference (docs/model-comparison.md). */
export interface ComparedTarget {
  target: string;
  /** This is the reference itself: no agreement and no deltas, only its error classes. */
  isReference: boolean;
  /** Rows (row × repeat) both this target and the reference answered. */
  rowsBoth: number;
  /** Null for the reference. */
  agreement: TargetAgreement | null;
  /**
   * Each figure, reference against this target: `baseline` holds the reference's value,
   * `current` this target's; p-values are two-sided, `significant` is p < α either way, and
   * nothing here is a regression (no thresholds: the comparison never fails a run).
   */
  deltas: MetricDelta[];
  /** Every outcome other than `ok` and `assertion_failed` (those are the pass rate's), with its count. */
  errorClasses: Record<string, number>;
}

/** The targets of one run compared with one another (`report.comparison`). */
export interface TargetsComparison {
  reference: string;
  alpha: number;
  /** How the p-values are read: two-sided, "the figures differ". */
  sided: 'two-sided';
  /** Every target in the run's order, the reference included. */
  targets: ComparedTarget[];
  rows: TargetRows;
  /** Said once, plainly: what could not be compared. */
  notes: string[];
}

/** A reference that is not a target is a mistake in the command line or config: said before the first request. */
export function checkReference(reference: string | undefined, targets: readonly string[]): void {
  if (reference === undefined || targets.includes(reference)) return;
  throw new UserError(
    `--reference '${reference}' is not a target of this run (its targets: ${targets.join(', ')}); ` +
      'name one of them (config run.reference), or leave it out to compare with the first',
  );
}

/**
 * Compares every target of a finished run with the reference target, from the run's
 * `results.jsonl` and its report; undefined when the run has fewer than two targets.
 */
export async function compareTargets(
  report: Report,
  resultsPath: string,
  options: TargetsCompareOptions = {},
): Promise<TargetsComparison | undefined> {
  const names = report.targets.map((t) => t.name);
  checkReference(options.reference, names);
  if (names.length < 2) return undefined;
  const { targets, rows } = await samplesFromResults(resultsPath);
  return compareTargetSamples(report, targets, rows.values(), options);
}

/**
 * The same from a run already read (`runSide`): the run's tail and the rebuild read their own
 * results once for both the baseline comparison and this one. Undefined with fewer than two targets.
 */
export function compareTargetsOf(
  report: Report,
  own: Pick<RunSide, 'targets' | 'rows'>,
  options: TargetsCompareOptions = {},
): TargetsComparison | undefined {
  checkReference(
    options.reference,
    report.targets.map((t) => t.name),
  );
  if (report.targets.length < 2) return undefined;
  return compareTargetSamples(report, own.targets, own.rows?.values() ?? [], options);
}

const METRICS: ComparedMetric[] = TARGET_COMPARED_METRICS.map((k) => parseMetricKey(k) as ComparedMetric);

/** The comparison from samples already read (compareTargets reads them from results.jsonl). */
export function compareTargetSamples(
  report: Report,
  samples: ReadonlyMap<string, TargetSamples>,
  records: Iterable<RowRecord>,
  options: TargetsCompareOptions = {},
): TargetsComparison {
  const names = report.targets.map((t) => t.name);
  checkReference(options.reference, names);
  const reference = options.reference ?? (names[0] as string);
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const others = names.filter((n) => n !== reference);
  const pairing = pairTargetRows(records, reference, others);
  const notes: string[] = [];
  // A target without a counted result still gets its figures, as dashes with the reason.
  const refSamples = samples.get(reference) ?? emptySamples();
  const targets = report.targets.map((t): ComparedTarget => {
    const errorClasses = Object.fromEntries(
      Object.entries(t.summary.outcomes).filter(([o, n]) => n > 0 && o !== 'ok' && o !== 'assertion_failed'),
    );
    if (t.name === reference)
      return { target: t.name, isReference: true, rowsBoth: 0, agreement: null, deltas: [], errorClasses };
    const paired = pairing.perTarget.get(t.name);
    const own = samples.get(t.name) ?? emptySamples();
    if (paired && paired.rowsBoth === 0)
      notes.push(`${t.name} and ${reference} answered no row in common: no agreement to show`);
    const deltas = targetDeltas(t.name, refSamples, own, METRICS, [], paired?.verdicts, {
      alpha,
      seed: options.seed ?? 1,
      twoSided: true,
    });
    return {
      target: t.name,
      isReference: false,
      rowsBoth: paired?.rowsBoth ?? 0,
      agreement: paired?.agreement ?? null,
      deltas,
      errorClasses,
    };
  });
  return { reference, alpha, sided: 'two-sided', targets, rows: pairing.rows, notes };
}
