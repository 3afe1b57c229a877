import type { AttemptResult } from '../client/types.js';
import type { Clock } from '../clock.js';
import type { Grader } from '../eval/assertions-api.js';
import { applyRowChecks } from '../eval/row-checks.js';
import { estimateRequestTokens } from '../limit/estimate.js';
import type { Limiter } from '../limit/limiter.js';
import { parseRetryAfter } from '../limit/retry-after.js';
import { decideRetry, type RetryPolicy } from '../limit/retry-policy.js';
import { requestCost } from '../metrics/cost.js';
import type { Timeline } from '../metrics/timeline.js';
import type { Job } from '../plan/types.js';
import { attemptRecord, buildJobResult } from '../results/record.js';
import type { AttemptRecord, JobResult } from '../results/types.js';

/**
 * Makes one attempt of a job (the client's `sendCompletion` over the run's transport, or a fake in
 * tests). Never throws: every failure is an AttemptResult. `signal` cancels the request on the wire.
 */
export type SendAttempt = (job: Job, signal: AbortSignal) => Promise<AttemptResult>;

/** What every job of a run shares. */
export interface JobContext {
  send: SendAttempt;
  limiter: Limiter;
  timeline: Timeline;
  retryPolicy: RetryPolicy;
  runStart: number;
  /** Stamps, backoff waits, and the wall time an HTTP-date Retry-After is read against. */
  clock: Clock;
  random: () => number;
  /** Aborted on stop: no new attempts, waits end. */
  stop: AbortSignal;
  /** Aborted to cancel requests on the wire (second Ctrl-C, fatal error, grace period over). */
  abortInFlight: AbortSignal;
  /** Live counts for progress displays. */
  counters: { rateLimited: number };
  /** Answers `judge` assertions: the grader target's, or the offline grader when absent. */
  grader?: Grader;
}

export interface FinishedJob {
  result: JobResult;
  final: AttemptResult;
}

/**
 * One job from first attempt to final outcome: pass the limiter, send, let the retry policy
 * decide, wait, go round again. This is the only retry loop in stepbench. Waiting for the limiter
 * and backing off count in `queue`/`latency`; `e2e` and `ttft` describe the final attempt only.
 * Returns undefined when the run stopped before the job's first attempt was sent: a job that
 * never went out is not a result, and `--resume` will send it later.
 */
export async function runJob(
  job: Job,
  scheduledAt: number,
  ctx: JobContext,
  phase?: { name: string; warmup: boolean },
): Promise<FinishedJob | undefined> {
  const { limiter, timeline, clock } = ctx;
  const { now } = clock;
  const attempts: AttemptRecord[] = [];
  const estimate = estimateRequestTokens(job.row.messages, { ...job.target.params, ...job.row.params });
  let dispatchedAt: number | undefined;
  let last: AttemptResult | undefined;
  let waitMs = 0;
  const build = (final: AttemptResult): FinishedJob => ({
    final,
    result: buildJobResult(
      job,
      final,
      attempts,
      { runStart: ctx.runStart, scheduledAt, dispatchedAt: dispatchedAt ?? now() },
      phase,
    ),
  });
  // Every way out of the loop goes through here: the answer is judged once, on the final attempt.
  const finish = async (final: AttemptResult): Promise<FinishedJob> => {
    const finished = build(final);
    const cost = requestCost(finished.result, job.target.price);
    if (cost !== undefined) finished.result.cost = cost;
    await applyRowChecks(job.row, finished.result, {
      ...(ctx.grader ? { grader: ctx.grader } : {}),
      ...(job.target.checks ? { defaults: job.target.checks } : {}),
    });
    return finished;
  };
  for (let n = 1; ; n++) {
    let permit: Awaited<ReturnType<Limiter['acquire']>>;
    try {
      permit = await limiter.acquire(estimate, ctx.stop);
    } catch {
      // Stopped while waiting for a slot: nothing more is sent for this job. A job that already
      // made attempts keeps the last one's outcome.
      return last ? finish(last) : undefined;
    }
    dispatchedAt ??= now();
    timeline.attemptStarted(now(), limiter.inFlight, limiter.ratePerSec);
    const attempt = await ctx.send(job, ctx.abortInFlight);
    // Wall time, read once: an HTTP-date Retry-After is a calendar time, so both readings of it
    // must agree on "now".
    const wallNow = clock.wallNow();
    const decision = decideRetry(attempt, n, ctx.retryPolicy, ctx.random, wallNow);
    const retryAfterMs = attempt.headers ? parseRetryAfter(attempt.headers, wallNow) : undefined;
    permit.release({
      outcome: attempt.outcome,
      ...(attempt.status !== undefined ? { status: attempt.status } : {}),
      ...(attempt.usage.source === 'server' ? { actualTokens: attempt.usage.totalTokens } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    const willRetry = decision.retry && !ctx.stop.aborted;
    timeline.attemptEnded(now(), attempt.outcome, willRetry, attempt.usage.completionTokens);
    if (attempt.outcome === 'rate_limited') ctx.counters.rateLimited++;
    attempts.push(attemptRecord(attempt, n, ctx.runStart, waitMs));
    last = attempt;
    if (!decision.retry || !willRetry) return finish(attempt);
    waitMs = decision.delayMs;
    // Stopped during backoff: the last attempt's outcome is the job's outcome.
    await clock.sleep(waitMs, ctx.stop);
    if (ctx.stop.aborted) return finish(attempt);
  }
}
