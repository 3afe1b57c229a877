import type { JobResult } from '../results/types.js';
import type { AssertionContext, Grader } from './assertions/types.js';

/**
 * The assertion context of one finished job: everything the checks read comes from the plain
 * result record, plus what the record does not hold (the request's cost, the run's grader).
 */
export function contextFromResult(
  result: JobResult,
  extras: { cost?: number | null; grader?: Grader } = {},
): AssertionContext {
  const ctx: AssertionContext = {
    output: result.output,
    usage: {
      promptTokens: result.usage.promptTokens,
      completionTokens: result.usage.completionTokens,
      totalTokens: result.usage.totalTokens,
      source: result.usage.source,
    },
    durations: {
      e2e: result.durations.e2e,
      ...(result.durations.ttft !== undefined && { ttft: result.durations.ttft }),
    },
    cost: extras.cost ?? null,
    vars: result.vars ?? {},
  };
  if (result.reasoning !== undefined) ctx.reasoning = result.reasoning;
  if (result.finishReason !== undefined) ctx.finishReason = result.finishReason;
  if (result.expected !== undefined) ctx.expected = result.expected;
  if (extras.grader) ctx.grader = extras.grader;
  return ctx;
}
