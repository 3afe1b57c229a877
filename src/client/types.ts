import type { OutcomeClass } from '../results/outcomes.js';

// The client produces outcomes; what each class means downstream is the results stage's table.
export type { OutcomeClass } from '../results/outcomes.js';

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
  /** Set-up of the connection this attempt opened (TCP, and TLS for https); absent on a reused one. */
  connectStart?: number;
  connectEnd?: number;
  /** The request's headers written to the socket (after any connection set-up). */
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
