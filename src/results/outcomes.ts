/**
 * Every outcome class a job or attempt can end in (DESIGN §3), and what each one means to the
 * stages after the client. The client produces outcomes; everything downstream (limiter, retry
 * policy, results, metrics, eval, capacity, the run's error budget and progress) reads their
 * meaning from OUTCOMES below instead of keeping its own list, so a new class is decided once.
 */
export const OUTCOME_CLASSES = [
  'ok',
  'assertion_failed',
  'rate_limited',
  'http_4xx',
  'http_5xx',
  'timeout_connect',
  'timeout_first_token',
  'timeout_idle',
  'timeout_total',
  'network',
  'truncated',
  'content_filter',
  'length',
  'stream_error',
  'interrupted',
] as const;

export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/**
 * How an attempt's outcome steers the adaptive limit: `grow` (the server coped), `back_off`
 * (it refused us: cut once per episode and hold), `pause_growth` (it is struggling, not refusing:
 * stop probing upward but do not cut), `neutral` (says nothing about capacity).
 */
export type LimiterSignal = 'grow' | 'back_off' | 'pause_growth' | 'neutral';

export interface OutcomeTraits {
  /** The model replied, possibly cut short by max_tokens or a filter, or failing an assertion. */
  answered: boolean;
  /** The user got a usable answer: counts towards successRate and goodput. */
  success: boolean;
  /**
   * The body arrived and ended on its own, so its timings are service times that may feed
   * ttft/e2e/tokens (metrics also require HTTP 2xx, see gotResponse).
   */
  response: boolean;
  /**
   * Counts as an error wherever stepbench counts errors (progress, error budget, metrics, capacity
   * steps): the service or the wire failed. Not errors: answers, 429s (counted on their own and
   * handled by the limiter) and interruptions (our own stop).
   */
  error: boolean;
  /** A later attempt can plausibly avoid it; `by_status` leaves it to the HTTP status (retry-policy.ts). */
  retryable: boolean | 'by_status';
  limiter: LimiterSignal;
  /** `by_status`: some statuses prove every later request would fail too (results/fatal.ts). */
  fatal: false | 'by_status';
}

// Adding a class to OUTCOME_CLASSES without a row here (or a row without the class) fails to compile.
export const OUTCOMES = {
  ok: {
    answered: true,
    success: true,
    response: true,
    error: false,
    retryable: false,
    limiter: 'grow',
    fatal: false,
  },
  // An eval verdict on a good reply: the wire worked.
  assertion_failed: {
    answered: true,
    success: true,
    response: true,
    error: false,
    retryable: false,
    limiter: 'grow',
    fatal: false,
  },
  rate_limited: {
    answered: false,
    success: false,
    response: false,
    error: false,
    retryable: true,
    limiter: 'back_off',
    fatal: false,
  },
  // The request's own fault: neither retrying nor the limiter can help; 401/402 end the run.
  http_4xx: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: false,
    limiter: 'neutral',
    fatal: 'by_status',
  },
  http_5xx: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: 'by_status',
    limiter: 'pause_growth',
    fatal: false,
  },
  timeout_connect: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: true,
    limiter: 'pause_growth',
    fatal: false,
  },
  timeout_first_token: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: true,
    limiter: 'pause_growth',
    fatal: false,
  },
  timeout_idle: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: true,
    limiter: 'pause_growth',
    fatal: false,
  },
  timeout_total: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: true,
    limiter: 'pause_growth',
    fatal: false,
  },
  network: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: true,
    limiter: 'pause_growth',
    fatal: false,
  },
  // The body ended on its own but without [DONE]/finish_reason: its timings are real, its reply is not whole.
  truncated: {
    answered: false,
    success: false,
    response: true,
    error: true,
    retryable: true,
    limiter: 'pause_growth',
    fatal: false,
  },
  // The service's moderation verdict (451 or finish_reason): an answer, but not a usable one.
  content_filter: {
    answered: true,
    success: false,
    response: true,
    error: false,
    retryable: false,
    limiter: 'grow',
    fatal: false,
  },
  // The model stopped at max_tokens: the user asked for that limit.
  length: {
    answered: true,
    success: true,
    response: true,
    error: false,
    retryable: false,
    limiter: 'grow',
    fatal: false,
  },
  stream_error: {
    answered: false,
    success: false,
    response: false,
    error: true,
    retryable: true,
    limiter: 'pause_growth',
    fatal: false,
  },
  // Our own stop (second Ctrl-C, fatal error, grace over): says nothing about the server.
  interrupted: {
    answered: false,
    success: false,
    response: false,
    error: false,
    retryable: false,
    limiter: 'neutral',
    fatal: false,
  },
} as const satisfies Record<OutcomeClass, OutcomeTraits>;

export function traitsOf(outcome: OutcomeClass): OutcomeTraits {
  return OUTCOMES[outcome];
}

/** The model replied (timeline's completed attempts; `--retry-errors` re-sends the rest). */
export function isAnswered(outcome: OutcomeClass): boolean {
  return OUTCOMES[outcome].answered;
}

/** The user got a usable answer (successRate, goodput, capacity successes). */
export function isSuccess(outcome: OutcomeClass): boolean {
  return OUTCOMES[outcome].success;
}

/** The one definition of an error, for every count of errors stepbench shows or acts on. */
export function isError(outcome: OutcomeClass): boolean {
  return OUTCOMES[outcome].error;
}

/** What the outcome tells the adaptive limiter. */
export function limiterSignal(outcome: OutcomeClass): LimiterSignal {
  return OUTCOMES[outcome].limiter;
}

/** Classes listed in OUTCOME_CLASSES order that have `trait` set (for docs and tests). */
export function outcomesWhere(trait: (t: OutcomeTraits) => boolean): OutcomeClass[] {
  return OUTCOME_CLASSES.filter((o) => trait(OUTCOMES[o]));
}
