import type { ErrorDigest } from '../results/error-digest.js';
import { isError, isSuccess, type OutcomeClass } from '../results/outcomes.js';

export interface RunTally {
  /** Finished jobs by final outcome, as in the statistics (warmups left out, kept results of a resumed run in). */
  outcomes: ReadonlyMap<OutcomeClass, number>;
  digest: ErrorDigest;
  /** `--max-error-rate`, if given. */
  maxErrorRate?: number;
}

/** Finished jobs by final outcome over every target's statistics, the tally's `outcomes`. */
export function outcomeTotals(
  targets: Iterable<{ outcomes: Partial<Record<OutcomeClass, number>> }>,
): Map<OutcomeClass, number> {
  const outcomes = new Map<OutcomeClass, number>();
  for (const target of targets) {
    for (const [outcome, n] of Object.entries(target.outcomes) as Array<[OutcomeClass, number]>) {
      if (n > 0) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + n);
    }
  }
  return outcomes;
}

/**
 * Why a run that ran to its end still failed, or undefined when it did not (exit code 3, issue 10).
 * A run in which no job succeeded is a failed run however small; so is one whose errors passed
 * `--max-error-rate`, judged here on every finished job (the in-run check waits for 20 jobs, so a
 * 10-row run could never trip it). 429s are not errors (the limiter's business), as everywhere.
 */
export function failedRunReason(tally: RunTally): string | undefined {
  let finished = 0;
  let succeeded = 0;
  let errors = 0;
  for (const [outcome, n] of tally.outcomes) {
    finished += n;
    if (isSuccess(outcome)) succeeded += n;
    if (isError(outcome)) errors += n;
  }
  if (finished === 0) return undefined;
  const top = tally.digest.top();
  const said = top ? ` Most frequent: ${top.outcome} ×${top.count} "${top.message}".` : '';
  if (succeeded === 0) return `no job succeeded: all ${finished} failed.${said}`;
  if (tally.maxErrorRate !== undefined && errors / finished > tally.maxErrorRate) {
    const rate = (errors / finished) * 100;
    return (
      `${errors} of ${finished} jobs (${rate.toFixed(1)}%) failed for reasons other than rate limits, ` +
      `above --max-error-rate ${(tally.maxErrorRate * 100).toFixed(1)}%.${said}`
    );
  }
  return undefined;
}
