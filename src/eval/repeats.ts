/**
 * Stability over repeats (`--repeat k`): per row × target the pass rate with a 95 % Wilson score
 * interval, whether all k passed (pass^k), and the flaky rows (some repeats passed, some failed).
 * A repeat counts when its answer was judged against the row's checks, as in the pass rate
 * (metrics/check-counts.ts): a repeat without an answer is no run of its row (it shows in the
 * error counts, and in `k.min` below k).
 */

import { checkVerdict } from '../metrics/check-counts.js';
import type { JobResult } from '../results/types.js';

/** z for a two-sided 95 % interval: the 97.5th percentile of the standard normal. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for `passes` of `runs`: (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
 * Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays within [0, 1] and is not zero-width at 0/n or n/n.
 * Null without runs.
 */
export function wilsonInterval(passes: number, runs: number, z = Z_95): Interval | null {
  if (!Number.isInteger(runs) || runs <= 0) return null;
  if (!Number.isInteger(passes) || passes < 0 || passes > runs) {
    throw new RangeError(`wilsonInterval: passes must be a whole number within 0..${runs}, got ${passes}`);
  }
  const p = passes / runs;
  const z2 = z * z;
  const denominator = 1 + z2 / runs;
  const centre = (p + z2 / (2 * runs)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs))) / denominator;
  // At 0/n and n/n the bound is exactly 0 or 1; float noise must not put it a hair inside.
  const low = passes === 0 ? 0 : Math.max(0, centre - half);
  const high = passes === runs ? 1 : Math.min(1, centre + half);
  return { low: round(low), high: round(high) };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export interface RepeatOutcome {
  rowId: string;
  target: string;
  pass: boolean;
}

export interface RowRepeatSummary {
  rowId: string;
  target: string;
  runs: number;
  passes: number;
  passRate: number;
  /** 95 % Wilson interval of the pass rate. */
  interval: Interval;
  /** pass^k: every one of the `runs` repeats passed. */
  allPassed: boolean;
  /** Some repeats passed and some failed. */
  flaky: boolean;
}

export interface TargetRepeatSummary {
  target: string;
  rows: number;
  runs: number;
  passes: number;
  passRate: number;
  /** Fewest and most repeats a row had (equal unless a run was cut short or repeats got no answer). */
  k: { min: number; max: number };
  /** Share of rows with every repeat passed (pass^k over rows). */
  passHatK: number;
  allPassedRows: number;
  flakyRows: number;
  /** Rows none of whose repeats passed. */
  failingRows: number;
}

export interface RepeatSummary {
  /** One per row × target, in the order first seen. */
  rows: RowRepeatSummary[];
  targets: TargetRepeatSummary[];
  /** The rows with `flaky`, in the same order. */
  flaky: RowRepeatSummary[];
}

/** report.json's `repeats`: bounded whatever the number of rows. */
export interface RepeatsReport {
  /** `--repeat`. */
  k: number;
  targets: TargetRepeatSummary[];
  /** Rows that did not pass every repeat: the flaky ones first, then the failing ones; at most `REPEAT_ROWS_LISTED`. */
  rows: RowRepeatSummary[];
  /** Such rows left out of `rows` by the bound. */
  rowsNotListed: number;
}

/** How many rows report.json's `repeats.rows` lists at most. */
export const REPEAT_ROWS_LISTED = 200;

// runs and passes of one row, packed into one number: a million rows stay a million small entries.
const PACK = 2 ** 26;

/**
 * Pass/fail per row × target, folded in as results arrive. Keeps one map entry per row × target
 * (its id and two counts, about 100 bytes: a million rows × one target is about 100 MB), so a run
 * makes one only with `--repeat` above 1; the listing it reports is bounded.
 */
export class RepeatTracker {
  private readonly byTarget = new Map<string, Map<string, number>>();

  /** One judged repeat of a row. */
  record(target: string, rowId: string, pass: boolean): void {
    let rows = this.byTarget.get(target);
    if (!rows) {
      rows = new Map();
      this.byTarget.set(target, rows);
    }
    rows.set(rowId, (rows.get(rowId) ?? 0) + PACK + (pass ? 1 : 0));
  }

  /** A finished job; only judged answers count (see the file comment). */
  add(result: Pick<JobResult, 'target' | 'rowId' | 'checks' | 'outcome'>): void {
    const verdict = checkVerdict(result);
    if (verdict === 'passed' || verdict === 'failed')
      this.record(result.target, result.rowId, verdict === 'passed');
  }

  targets(): TargetRepeatSummary[] {
    return [...this.byTarget].map(([target, rows]) => {
      const t = { runs: 0, passes: 0, all: 0, flaky: 0, failing: 0, min: Number.POSITIVE_INFINITY, max: 0 };
      for (const packed of rows.values()) {
        const { runs, passes } = unpack(packed);
        t.runs += runs;
        t.passes += passes;
        if (passes === runs) t.all++;
        else if (passes === 0) t.failing++;
        else t.flaky++;
        t.min = Math.min(t.min, runs);
        t.max = Math.max(t.max, runs);
      }
      return {
        target,
        rows: rows.size,
        runs: t.runs,
        passes: t.passes,
        passRate: round(t.passes / t.runs),
        k: { min: t.min, max: t.max },
        passHatK: round(t.all / rows.size),
        allPassedRows: t.all,
        flakyRows: t.flaky,
        failingRows: t.failing,
      };
    });
  }

  /** Every row × target, in the order first seen (per target). */
  *rows(): Generator<RowRepeatSummary> {
    for (const [target, rows] of this.byTarget) {
      for (const [rowId, packed] of rows) yield rowSummary(target, rowId, unpack(packed));
    }
  }

  /** The report's section: per-target figures and the flaky, then failing, rows up to `limit`. */
  report(k: number, limit = REPEAT_ROWS_LISTED): RepeatsReport {
    const listed: RowRepeatSummary[] = [];
    let notListed = 0;
    for (const wanted of ['flaky', 'failing'] as const) {
      for (const row of this.rows()) {
        if (row.allPassed || (wanted === 'flaky') !== row.flaky) continue;
        if (listed.length < limit) listed.push(row);
        else notListed++;
      }
    }
    return { k, targets: this.targets(), rows: listed, rowsNotListed: notListed };
  }
}

function unpack(packed: number): { runs: number; passes: number } {
  return { runs: Math.floor(packed / PACK), passes: packed % PACK };
}

function rowSummary(
  target: string,
  rowId: string,
  { runs, passes }: { runs: number; passes: number },
): RowRepeatSummary {
  return {
    rowId,
    target,
    runs,
    passes,
    passRate: round(passes / runs),
    interval: wilsonInterval(passes, runs) as Interval,
    allPassed: passes === runs,
    flaky: passes > 0 && passes < runs,
  };
}

/**
 * Groups pass/fail outcomes by row × target. The per-target figures count rows and runs but carry
 * no interval: repeats of one row are not independent draws, so a Wilson interval over all runs
 * would be too narrow.
 */
export function summarizeRepeats(results: Iterable<RepeatOutcome>): RepeatSummary {
  const tracker = new RepeatTracker();
  for (const { rowId, target, pass } of results) tracker.record(target, rowId, pass);
  const rows = [...tracker.rows()];
  return { rows, targets: tracker.targets(), flaky: rows.filter((row) => row.flaky) };
}
