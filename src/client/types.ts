/**
 * Final outcome classes of a job (DESIGN §3). `ok` and `assertion_failed` are successes on the
 * wire; the rest are failures, each counted by name in the report.
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
 * Outcomes where the model answered (possibly cut by max_tokens or a content filter, or failing
 * an assertion); every other outcome is the wire failing. One definition for the timeline's
 * completed/errors split, `--retry-errors` and the run's error count.
 */
const ANSWERED_OUTCOMES: ReadonlySet<OutcomeClass> = new Set<OutcomeClass>([
  'ok',
  'assertion_failed',
  'length',
  'content_filter',
]);

export function isAnswered(outcome: OutcomeClass): boolean {
  return ANSWERED_OUTCOMES.has(outcome);
}

export type TokenSource = 'server' | 'estimated';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from cache (StepFun `usage.cached_tokens`); undefined when not reported. */
  cachedTokens?: number;
  /** Reasoning tokens when the server breaks them out (StepFun does not). */
  reasoningTokens?: number;
  source: TokenSource;
}

export interface ToolCall {
  index: number;
  id?: string;
  type?: string;
  name?: string;
  arguments: string;
}

/**
 * Timestamps of one HTTP attempt, all `performance.now()` milliseconds (same clock as the runner).
 * Optional ones are missing when the attempt never got that far.
 */
export interface AttemptTimes {
  sentAt: number;
  headersAt?: number;
  /** First chunk with any text: content, reasoning, reasoning_content or a tool call. */
  firstTokenAt?: number;
  /** First chunk with non-empty `content`. */
  firstAnswerAt?: number;
  /** Last byte / `[DONE]` / error. */
  endAt: number;
}

export interface AttemptError {
  message: string;
  /** `error.type` from the server body, when there was one. */
  type?: string;
}

/** Everything one HTTP attempt produced. Plain data. */
export interface AttemptResult {
  outcome: OutcomeClass;
  status?: number;
  error?: AttemptError;
  /** `X-Trace-Id` response header (StepFun support asks for it). */
  traceId?: string;
  /** `id` of the completion. */
  responseId?: string;
  times: AttemptTimes;
  /** Arrival times (performance.now ms) of each text-bearing chunk, in order; ITL is their gaps. */
  tokenTimes: number[];
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason?: string;
  usage: Usage;
  /** Response headers worth keeping (retry-after, x-ratelimit-*), lower-cased. */
  headers?: Record<string, string>;
}
