import { OUTCOME_CLASSES, type OutcomeClass } from '../client/types.js';
import type { JobResult } from '../results/types.js';

export type OutcomeCounts = Record<OutcomeClass, number>;

/** A zero for every outcome class, so reports always list all of them. */
export function emptyOutcomeCounts(): OutcomeCounts {
  const counts = {} as OutcomeCounts;
  for (const outcome of OUTCOME_CLASSES) counts[outcome] = 0;
  return counts;
}

/**
 * Outcomes whose response body arrived and ended on its own. Timeouts, network failures,
 * interruptions and mid-stream error events are excluded even when headers said 200: their
 * e2e is the moment we gave up, not a service time, and would pollute the latency picture.
 */
const RESPONSE_OUTCOMES: ReadonlySet<OutcomeClass> = new Set<OutcomeClass>([
  'ok',
  'assertion_failed',
  'length',
  'content_filter',
  'truncated',
]);

/** Outcomes where the user got an answer: the wire worked (a failed assertion is an eval verdict). */
export const SUCCESS_OUTCOMES: ReadonlySet<OutcomeClass> = new Set<OutcomeClass>([
  'ok',
  'assertion_failed',
  'length',
]);

/**
 * Whether `result` got a response from the server (HTTP 2xx and an outcome in
 * RESPONSE_OUTCOMES). Only such results feed ttfb/ttft/ttfa/itl/tpot/e2e and the token
 * metrics, and count as `completed` for throughput. A `content_filter` answered with HTTP 451
 * is an error response, not a response, and is excluded by its status.
 */
export function gotResponse(result: Pick<JobResult, 'outcome' | 'status'>): boolean {
  if (!RESPONSE_OUTCOMES.has(result.outcome)) return false;
  // Producers always set status for these outcomes; tolerate its absence rather than drop data.
  return result.status === undefined || (result.status >= 200 && result.status < 300);
}

export function isSuccess(outcome: OutcomeClass): boolean {
  return SUCCESS_OUTCOMES.has(outcome);
}
