import { OUTCOME_CLASSES, OUTCOMES, type OutcomeClass } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';

export type OutcomeCounts = Record<OutcomeClass, number>;

/** A zero for every outcome class, so reports always list all of them. */
export function emptyOutcomeCounts(): OutcomeCounts {
  const counts = {} as OutcomeCounts;
  for (const outcome of OUTCOME_CLASSES) counts[outcome] = 0;
  return counts;
}

/**
 * Whether `result` got a response from the server: an outcome whose body arrived and ended on its
 * own (the table's `response` column) and HTTP 2xx. Only such results feed
 * ttfb/ttft/ttfa/itl/tpot/e2e and the token metrics, and count as `completed` for throughput.
 * Timeouts, network failures, interruptions and mid-stream error events are excluded even when
 * headers said 200: their e2e is the moment we gave up, not a service time. A `content_filter`
 * answered with HTTP 451 is an error response, not a response, and is excluded by its status.
 */
export function gotResponse(result: Pick<JobResult, 'outcome' | 'status'>): boolean {
  if (!OUTCOMES[result.outcome].response) return false;
  // Producers always set status for these outcomes; tolerate its absence rather than drop data.
  return result.status === undefined || (result.status >= 200 && result.status < 300);
}
