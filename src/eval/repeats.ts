/**
 * Stability over repeats (`--repeat k`): per row × target the pass rate with a 95 % Wilson score
 * interval, whether all k passed (pass^k), and the flaky rows (some repeats passed, some failed).
 */

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
  /** Fewest and most repeats a row had (equal unless a run was cut short). */
  k: { min: number; max: number };
  /** Share of rows with every repeat passed (pass^k over rows). */
  passHatK: number;
  allPassedRows: number;
  flakyRows: number;
}

export interface RepeatSummary {
  /** One per row × target, in the order first seen. */
  rows: RowRepeatSummary[];
  targets: TargetRepeatSummary[];
  /** The rows with `flaky`, in the same order. */
  flaky: RowRepeatSummary[];
}

/**
 * Groups pass/fail outcomes by row × target. The per-target figures count rows and runs but carry
 * no interval: repeats of one row are not independent draws, so a Wilson interval over all runs
 * would be too narrow.
 */
export function summarizeRepeats(results: Iterable<RepeatOutcome>): RepeatSummary {
  const groups = new Map<string, { rowId: string; target: string; runs: number; passes: number }>();
  for (const { rowId, target, pass } of results) {
    const key = JSON.stringify([target, rowId]);
    let group = groups.get(key);
    if (!group) {
      group = { rowId, target, runs: 0, passes: 0 };
      groups.set(key, group);
    }
    group.runs++;
    if (pass) group.passes++;
  }
  const rows: RowRepeatSummary[] = [...groups.values()].map(({ rowId, target, runs, passes }) => ({
    rowId,
    target,
    runs,
    passes,
    passRate: round(passes / runs),
    interval: wilsonInterval(passes, runs) as Interval,
    allPassed: passes === runs,
    flaky: passes > 0 && passes < runs,
  }));
  const byTarget = new Map<string, RowRepeatSummary[]>();
  for (const row of rows) {
    const list = byTarget.get(row.target) ?? [];
    list.push(row);
    byTarget.set(row.target, list);
  }
  const targets = [...byTarget].map(([target, list]): TargetRepeatSummary => {
    const runs = list.reduce((sum, row) => sum + row.runs, 0);
    const passes = list.reduce((sum, row) => sum + row.passes, 0);
    const allPassedRows = list.filter((row) => row.allPassed).length;
    return {
      target,
      rows: list.length,
      runs,
      passes,
      passRate: round(passes / runs),
      k: {
        min: list.reduce((min, row) => Math.min(min, row.runs), Number.POSITIVE_INFINITY),
        max: list.reduce((max, row) => Math.max(max, row.runs), 0),
      },
      passHatK: round(allPassedRows / list.length),
      allPassedRows,
      flakyRows: list.filter((row) => row.flaky).length,
    };
  });
  return { rows, targets, flaky: rows.filter((row) => row.flaky) };
}
