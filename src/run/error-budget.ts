import { isError, type OutcomeClass } from '../results/outcomes.js';

/**
 * `--max-error-rate`: stops a run that is failing for reasons other than throttling, before it
 * burns the quota on a broken endpoint. It counts errors as everywhere else (isError), which
 * leaves 429s out — the limiter handles those, and a capacity run expects them. The rate is only
 * judged after `minJobs` finished jobs, so two early failures cannot end a run of thousands.
 */
export class ErrorBudget {
  private finished = 0;
  private errors = 0;

  constructor(
    private readonly maxRate: number,
    private readonly minJobs = 20,
  ) {}

  /** Records a finished job; returns a message when the budget is spent. */
  record(outcome: OutcomeClass): string | undefined {
    this.finished++;
    if (isError(outcome)) this.errors++;
    if (this.finished < this.minJobs) return undefined;
    const rate = this.errors / this.finished;
    if (rate <= this.maxRate) return undefined;
    return (
      `${this.errors} of ${this.finished} jobs (${(rate * 100).toFixed(1)}%) failed for reasons other than rate limits, ` +
      `above --max-error-rate ${(this.maxRate * 100).toFixed(1)}%; stopped to save quota. See results.jsonl for the errors.`
    );
  }
}
