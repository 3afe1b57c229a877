import { basename, join, resolve } from 'node:path';
import { alphaOrDefault, checkThresholdTargets, compareRuns } from '../compare/compare-runs.js';
import { loadRunSide, type RunSide, readReport, runSide } from '../compare/run-side.js';
import { compareTargetsOf } from '../compare/targets-compare.js';
import { type Threshold, thresholdsOrDefaults } from '../compare/thresholds.js';
import { UserError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { RUN_FILE, type RunFile, readRunFile, runFileFromReport } from '../report/run-file.js';
import type { Report } from '../report/schema.js';
import { kindOf } from '../results/output-dir.js';
import { findResultsFile, RESULTS_FILE } from '../results/results-file.js';
import { checkedExitCode } from '../run/pipeline.js';
import { type OutputPaths, writeRebuiltOutputs } from './outputs.js';
import { rebuiltReport, savedChecks } from './rebuilt-report.js';
import { replayResults } from './replay.js';

const REPORT_FILE = 'report.json';

export interface RebuildOptions {
  /** An earlier run (its folder or report.json) to compare with, as `run --baseline`. */
  baseline?: string;
  /** `--max-regression` thresholds; the defaults when none is given (needs `baseline`). */
  maxRegression?: readonly string[];
  /** Significance level of the comparison (default 0.05; needs `baseline`). */
  alpha?: number;
  /** Write the outputs into this folder instead of the run's own. */
  out?: string;
  /** The rebuild's time (`generatedAt`, `rebuilt.at`); now by default. */
  now?: Date;
}

export interface RebuildOutcome extends OutputPaths {
  report: Report;
  /** As a run's: 1 when gates, checks or the baseline failed, 3 when the run failed as a whole, else 0. */
  exitCode: ExitCodeValue;
  outDir: string;
  resultsPath: string;
}

/** The run's folder must exist and hold results; anything else is named in the error. */
async function checkRunFolder(dir: string): Promise<string> {
  const kind = await kindOf(dir);
  if (kind === 'missing') throw new UserError(`no run folder at ${dir}: give the folder a run wrote into`);
  if (kind === 'file')
    throw new UserError(`${dir} is a file: give the folder a run wrote into (it holds results.jsonl)`);
  const resultsPath = findResultsFile(dir);
  if (!resultsPath)
    throw new UserError(
      `${dir} holds no ${RESULTS_FILE} (nor .gz): not a run's folder, or the run stopped before its first result`,
    );
  return resultsPath;
}

/**
 * The run's saved configuration: `run.json`, or for a run of an older stepbench the same parts
 * read from its `report.json`. Without either, what the targets, prices and gates were is
 * unknown, and the rebuild is refused rather than guessed.
 */
async function savedRun(dir: string): Promise<{ saved: RunFile; from: string; source: string }> {
  const saved = await readRunFile(dir);
  if (saved) return { saved, from: RUN_FILE, source: join(dir, RUN_FILE) };
  const reportPath = join(dir, REPORT_FILE);
  if ((await kindOf(reportPath)) === 'file')
    return { saved: runFileFromReport(await readReport(reportPath)), from: REPORT_FILE, source: reportPath };
  throw new UserError(
    `${dir} holds neither ${RUN_FILE} nor ${REPORT_FILE}: the run's targets, prices and gates are unknown, ` +
      'so its report cannot be rebuilt (runs of this stepbench write run.json before their first request)',
  );
}

/** The baseline and its thresholds, read and checked before anything is rebuilt. */
async function loadBaseline(
  options: RebuildOptions,
  targets: readonly string[],
): Promise<{ side: RunSide; thresholds: Threshold[]; alpha: number } | undefined> {
  if (options.baseline === undefined) {
    if (options.maxRegression !== undefined || options.alpha !== undefined)
      throw new UserError(
        `${options.maxRegression !== undefined ? '--max-regression' : '--alpha'} judges a comparison with a baseline, ` +
          "but no baseline was given: add --baseline DIR (an earlier run's folder or its report.json)",
      );
    return undefined;
  }
  const alpha = alphaOrDefault(options.alpha);
  const thresholds = thresholdsOrDefaults(options.maxRegression);
  checkThresholdTargets(thresholds, targets);
  return { side: await loadRunSide(options.baseline), thresholds, alpha };
}

/** Refuses to write a rebuild over another run's outputs. */
async function checkOutDir(dir: string, out: string): Promise<void> {
  if (resolve(out) === resolve(dir)) return;
  const kind = await kindOf(out);
  if (kind === 'file') throw new UserError(`--out ${out} is a file: pass a folder`);
  if (kind === 'dir' && findResultsFile(out) !== undefined)
    throw new UserError(
      `--out ${out} holds another run's ${RESULTS_FILE}: rebuild into an empty folder, or in place without --out`,
    );
}

/**
 * `stepbench report <dir>`: rebuilds report.json, summary.md and junit.xml of a run from its
 * `results.jsonl` and `run.json` — for a run that was killed, resumed, or made before an output
 * existed — and, with `baseline`, compares it with an earlier run. The figures the results hold
 * come out as the live run computed them; what only the live run saw is listed in
 * `report.rebuilt`. In place by default, or into `options.out`.
 */
export async function rebuildReports(dir: string, options: RebuildOptions = {}): Promise<RebuildOutcome> {
  const resultsPath = await checkRunFolder(dir);
  const { saved, from, source } = await savedRun(dir);
  const checks = savedChecks(saved, source);
  const outDir = options.out ?? dir;
  await checkOutDir(dir, outDir);
  const baseline = await loadBaseline(
    options,
    saved.targets.map((t) => t.name),
  );
  const replayed = await replayResults(resultsPath, {
    targets: saved.targets,
    slos: checks.slos,
    repeat: saved.repeat,
    pinnedLimit: saved.limits && !saved.limits.adaptive ? saved.limits.maxConcurrency : null,
  });
  const report = rebuiltReport({
    saved,
    checks,
    replayed,
    from: [basename(resultsPath), from],
    at: options.now ?? new Date(),
  });
  if (saved.shard) report.shard = saved.shard;
  if (saved.merged) report.merged = saved.merged;
  // One read of the results serves both comparisons, in the order the run's tail makes them.
  const own = baseline || report.targets.length > 1 ? await runSide(dir, report, resultsPath) : undefined;
  if (baseline && own) {
    report.baseline = compareRuns(baseline.side, own, {
      thresholds: baseline.thresholds,
      alpha: baseline.alpha,
    });
  }
  const comparison =
    own &&
    compareTargetsOf(report, own, {
      ...(saved.reference !== undefined ? { reference: saved.reference } : {}),
      ...(baseline ? { alpha: baseline.alpha } : {}),
    });
  if (comparison) report.comparison = comparison;
  const paths = await writeRebuiltOutputs(outDir, report, resultsPath, {
    failedCheckSamples: replayed.failedCheckSamples,
    repeated: saved.repeat > 1,
  });
  const code: ExitCodeValue = report.failed ? ExitCode.aborted : ExitCode.ok;
  return { report, exitCode: checkedExitCode(code, report), outDir, resultsPath, ...paths };
}
