import type { DatasetRow } from '../dataset/types.js';
import type { AssertionSpec } from '../eval/assertions-api.js';

/** Price per 1M tokens, in `currency` (CNY for StepFun). */
export interface Price {
  currency: string;
  input: number;
  cachedInput: number;
  output: number;
}

/** One endpoint × model to send the dataset to. Validated once at the edge; the core trusts it. */
export interface Target {
  /** Label used in reports; defaults to the model name (made unique when several targets share it). */
  name: string;
  /** Base URL including the version prefix, e.g. `https://api.stepfun.com/v1`. */
  baseUrl: string;
  model: string;
  /** The key itself. Never serialised: reports carry `apiKeyEnv` only. */
  apiKey?: string;
  /** Name of the environment variable the key came from. */
  apiKeyEnv: string;
  /** Extra request headers (`--header`). Redacted in reports when they look secret. */
  headers: Record<string, string>;
  /** Generation params the user set (only these are sent, besides model/messages/stream). */
  params: Record<string, unknown>;
  stream: boolean;
  /** Send `stream_options: {include_usage: true}` (OpenAI/vLLM servers). Off for StepFun. */
  streamUsage: boolean;
  /** Known price, or undefined: cost is then "unknown", never 0. */
  price?: Price;
  /**
   * The config file's assertions for this target's answers: `defaultAssert`, then the target's own
   * `assert`. They run after each row's own checks (docs/assertions.md).
   */
  checks?: AssertionSpec[];
}

/** One unit of work: a row sent to a target, for one repeat. */
export interface Job {
  /** 0-based position in the plan. */
  index: number;
  /** `rowId|targetName|repeat`: unique within a run; used by resume. */
  key: string;
  row: DatasetRow;
  target: Target;
  repeat: number;
}
