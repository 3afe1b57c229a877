import { OUTCOMES, type OutcomeClass } from '../results/outcomes.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * The one place that decides whether and when a failed attempt is tried again (DESIGN §5). The run
 * loop asks, waits `delayMs` (visible in `queue`/`latency`, never in `e2e`), then goes back through
 * the limiter.
 */
export interface RetryPolicy {
  /** Extra attempts after the first (so `retries + 1` attempts at most). */
  retries: number;
  /** First backoff ceiling, ms; doubles per attempt. */
  baseMs: number;
  /** Largest backoff ceiling, ms. Server hints are not capped by it (see decideRetry). */
  capMs: number;
}

/** Eval runs: 4 retries (5 attempts) spread over up to ~0.5+1+2+4 s of jittered backoff. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 4,
  baseMs: 500,
  capMs: 30_000,
});

export type RetryDecision =
  | { retry: false; reason: string }
  | { retry: true; delayMs: number; cause: 'retry-after' | 'backoff' };

/** What the retry decision reads from an attempt: plain data, so it needs nothing of the client. */
export interface RetryInput {
  outcome: OutcomeClass;
  status?: number;
  /** Response headers kept by the client (retry-after, x-ratelimit-*), lower-cased. */
  headers?: Record<string, string>;
}

// Transient server failures. 501 (not implemented) and 505 (HTTP version) will answer the same
// way forever, so they are not here.
const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/**
 * Whether a later attempt can plausibly avoid this failure, as the outcome table says. Answers
 * (ok, length, content_filter), the request's own fault (4xx: 400/401/402/403/404, and 451 as
 * content_filter) and the user's decision (interrupted) never are; a 5xx only when transient.
 */
export function isRetryable(a: Pick<RetryInput, 'outcome' | 'status'>): boolean {
  const retryable = OUTCOMES[a.outcome].retryable;
  if (retryable === 'by_status') return a.status !== undefined && RETRYABLE_5XX.has(a.status);
  return retryable;
}

/** Full-jitter ceiling for the attempt that just failed: baseMs, 2·baseMs, 4·baseMs … ≤ capMs. */
export function backoffCeilingMs(attemptsMade: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attemptsMade - 1);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/**
 * Whether to try again after the `attemptsMade`-th attempt (1-based: 1 after the first) failed as `a`.
 *
 * The delay is the server's hint when it sent one ({@link parseRetryAfter}: honoured as given up to
 * an hour, because a server that names a time knows its window better than our backoff), else full
 * jitter `random() · min(capMs, baseMs · 2^(attemptsMade−1))`, which spreads a burst of failures
 * over the whole interval instead of bunching them at its end.
 */
export function decideRetry(
  a: RetryInput,
  attemptsMade: number,
  policy: RetryPolicy,
  random: () => number,
  nowEpochMs: number,
): RetryDecision {
  if (!isRetryable(a)) {
    const what = a.status === undefined ? a.outcome : `${a.outcome} (HTTP ${a.status})`;
    return { retry: false, reason: `${what} is not retryable` };
  }
  if (attemptsMade > policy.retries) {
    return {
      retry: false,
      reason: `gave up after ${attemptsMade} attempts (${policy.retries} retries allowed)`,
    };
  }
  const hint = a.headers ? parseRetryAfter(a.headers, nowEpochMs) : undefined;
  if (hint !== undefined) return { retry: true, delayMs: hint, cause: 'retry-after' };
  // Clamp the random source so a sloppy generator can't push the delay outside [0, ceiling).
  const raw = random();
  const r = Number.isFinite(raw) ? Math.min(Math.max(raw, 0), 1) : 0;
  return { retry: true, delayMs: r * backoffCeilingMs(attemptsMade, policy), cause: 'backoff' };
}
