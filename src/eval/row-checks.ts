import type { DatasetRow } from '../dataset/types.js';
import { isJudgeable } from '../metrics/check-counts.js';
import type { JobResult } from '../results/types.js';
import {
  type AssertionSpec,
  contextFromResult,
  evaluateRow,
  type Grader,
  offlineGrader,
  type RowEvaluation,
} from './assertions-api.js';

/** What the run adds to a row's own checks. */
export interface RowCheckOptions {
  /** Answers `judge` assertions; the offline grader (quoted phrases must appear) when not given. */
  grader?: Grader;
  /** The config's checks for this answer's target (`defaultAssert`, then the target's `assert`). */
  defaults?: readonly AssertionSpec[];
}

/**
 * Judges a finished job's answer against its row's checks and the config's (docs/assertions.md)
 * and records the verdict on the result: `checks` with every assertion's type, pass, score and
 * reason, and the outcome `assertion_failed` when an answer came back but failed them. A job
 * without an answer keeps its own outcome (its error is the finding). A row without checks of its
 * own is still judged by the config's. `max-cost` reads the request's `cost` (set by the job
 * runner from the target's price); without a price it fails as "cost unknown", never as 0.
 */
export async function applyRowChecks(
  row: DatasetRow,
  result: JobResult,
  options: RowCheckOptions = {},
): Promise<void> {
  const specs = row.checks ?? [];
  const defaults = options.defaults ?? [];
  if ((specs.length === 0 && defaults.length === 0) || !isJudgeable(result.outcome)) return;
  const evaluation: RowEvaluation = await evaluateRow(
    specs,
    contextFromResult(result, { cost: result.cost ?? null, grader: options.grader ?? offlineGrader }),
    {
      defaults,
      ...(row.threshold !== undefined ? { threshold: row.threshold } : {}),
    },
  );
  result.checks = evaluation;
  if (!evaluation.pass) result.outcome = 'assertion_failed';
}
