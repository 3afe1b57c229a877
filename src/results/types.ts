import type { AttemptError, ToolCall, Usage } from '../client/types.js';
import type { RowSource } from '../dataset/types.js';
import type { RowEvaluation } from '../eval/assertions-api.js';
import type { OutcomeClass } from './outcomes.js';

/** Schema version of one `results.jsonl` line. */
export const RESULT_VERSION = 1;

/** One attempt as recorded on the row. Times are ms since the run started. */
export interface AttemptRecord {
  attempt: number;
  outcome: OutcomeClass;
  status?: number;
  error?: AttemptError;
  traceId?: string;
  /** Set-up of the connection this attempt opened, ms; absent on a reused connection. */
  connectMs?: number;
  /** Headers written to the socket. */
  sentAt: number;
  headersAt?: number;
  firstTokenAt?: number;
  endAt: number;
  /** Wait before this attempt (backoff), ms. */
  waitMs: number;
}

/**
 * One line of `results.jsonl`: a finished job. Plain data that metrics, reports, merge and
 * resume read without reaching back into the client. All durations and times in milliseconds
 * (floats with µs precision); times are relative to the run's start.
 */
export interface JobResult {
  v: typeof RESULT_VERSION;
  key: string;
  index: number;
  rowId: string;
  target: string;
  model: string;
  repeat: number;
  source: RowSource;
  outcome: OutcomeClass;
  /** The row's checks on this answer (docs/assertions.md): pass, weighted score, each assertion's result. */
  checks?: RowEvaluation;
  status?: number;
  error?: AttemptError;
  traceId?: string;
  responseId?: string;
  finishReason?: string;
  times: {
    scheduledAt: number;
    dispatchedAt: number;
    /** The final attempt opened a connection from connectStart to connectEnd (absent when it reused one). */
    connectStart?: number;
    connectEnd?: number;
    /** The final attempt's headers written to the socket: ttfb, ttft, ttfa and e2e start here. */
    sentAt: number;
    headersAt?: number;
    firstTokenAt?: number;
    firstAnswerAt?: number;
    endAt: number;
  };
  /** Derived durations (DESIGN §3); absent when the attempt did not get that far. */
  durations: {
    /** Connection set-up of the final attempt; absent on a reused connection. */
    connect?: number;
    ttfb?: number;
    ttft?: number;
    ttfa?: number;
    tpot?: number;
    e2e: number;
    latency: number;
    queue: number;
  };
  /** Gaps between consecutive text-bearing chunks, ms. */
  itl: number[];
  usage: Usage;
  /**
   * What this request cost at the target's price, in the price's currency (metrics/cost.ts
   * `requestCost`); absent when the price is unknown or the request got no response — never 0
   * for unknown.
   */
  cost?: number;
  output: string;
  reasoning?: string;
  toolCalls?: ToolCall[];
  attempts: AttemptRecord[];
  tags?: string[];
  /** Load phase the job ran in (`warmup`, `ramp`, `main`, a capacity step…), when there were phases. */
  phase?: string;
  /** True for warmup jobs: kept in results and the timeline, left out of the statistics. */
  warmup?: boolean;
  vars?: Record<string, unknown>;
  expected?: string;
}
