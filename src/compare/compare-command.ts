import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { alphaOrDefault, type BaselineComparison, compareRuns } from './compare-runs.js';
import { loadRunSide } from './run-side.js';
import { thresholdsOrDefaults } from './thresholds.js';

export interface CompareCommandOptions {
  /** `--max-regression`; the defaults when empty. */
  maxRegression?: readonly string[];
  alpha?: number;
  seed?: number;
}

/**
 * `stepbench compare BASELINE CURRENT` as a library call: two finished runs (folders or
 * report.json files) → the comparison, and exit 1 when a figure regressed significantly.
 */
export async function compareFinishedRuns(
  baselinePath: string,
  currentPath: string,
  options: CompareCommandOptions = {},
): Promise<{ comparison: BaselineComparison; exitCode: ExitCodeValue }> {
  const alpha = alphaOrDefault(options.alpha);
  const thresholds = thresholdsOrDefaults(options.maxRegression);
  const baseline = await loadRunSide(baselinePath);
  const current = await loadRunSide(currentPath);
  const comparison = compareRuns(baseline, current, {
    thresholds,
    alpha,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  return { comparison, exitCode: comparison.regressions.length > 0 ? ExitCode.failed : ExitCode.ok };
}

/** Writes `compare.json` and `compare.md` into `dir`. */
export async function writeComparison(
  dir: string,
  comparison: BaselineComparison,
  markdown: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'compare.json'), `${JSON.stringify(comparison, null, 2)}\n`);
  await writeFile(join(dir, 'compare.md'), markdown);
}
