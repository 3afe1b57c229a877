import type { DatasetRow } from '../dataset/types.js';
import type { JobResult } from '../results/types.js';
import { contextFromResult, evaluateRow, offlineGrader, type RowEvaluation } from './assertions-api.js';

/** The outcomes whose answer is judged: the server answered with text (a cut-off `length` too). */
const JUDGED = new Set(['ok', 'length']);

/**
 * Judges a finished job's answer against its row's checks (docs/assertions.md) and records the
 * verdict on the result: `checks` with every assertion's type, pass, score and reason, and the
 * outcome `assertion_failed` when an answer came back but failed them. A job without an answer
 * keeps its own outcome (its error is the finding). The `judge` type uses the offline grader
 * (quoted phrases of the rubric must appear), which is deterministic against the mock; a grader
 * target is not wired yet. Cost per row is not known here, so `max-cost` fails as "cost unknown".
 */
export async function applyRowChecks(row: DatasetRow, result: JobResult): Promise<void> {
  const specs = row.checks;
  if (!specs || specs.length === 0 || !JUDGED.has(result.outcome)) return;
  const evaluation: RowEvaluation = await evaluateRow(
    specs,
    contextFromResult(result, { cost: null, grader: offlineGrader }),
    {
      ...(row.threshold !== undefined ? { threshold: row.threshold } : {}),
    },
  );
  result.checks = evaluation;
  if (!evaluation.pass) result.outcome = 'assertion_failed';
}
