import type { AttemptError, OutcomeClass, ToolCall, Usage } from './types.js';

/** What a response body said, however it was encoded (SSE stream or one JSON document). */
export interface DecodedReply {
  outcome: Extract<OutcomeClass, 'ok' | 'length' | 'content_filter' | 'truncated' | 'stream_error'>;
  error?: AttemptError;
  responseId?: string;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason?: string;
  /** The last usage the server sent (cumulative, so the last one is the total); undefined if none. */
  usage?: Usage;
  firstTokenAt?: number;
  firstAnswerAt?: number;
  /** `[DONE]`, the error event, or the end of the body. */
  endAt: number;
  /** Arrival time of every text-bearing chunk. */
  tokenTimes: number[];
  /** The stream ended with `[DONE]` (always false for a JSON body). */
  sawDone: boolean;
}

/**
 * Outcome of a reply that finished with `finishReason`. Reasons other than `length` and
 * `content_filter` (`stop`, `tool_calls`, vendor spellings like `eos`) mean the model ended its
 * answer on its own, so they count as `ok`; the reason itself is kept on the result.
 */
export function outcomeOfFinish(finishReason: string): 'ok' | 'length' | 'content_filter' {
  if (finishReason === 'length') return 'length';
  if (finishReason === 'content_filter') return 'content_filter';
  return 'ok';
}

/**
 * Thinking text of a delta or message. `reasoning_content` (DeepSeek style, older vLLM) wins when
 * non-empty; an empty string there must fall through to `reasoning` (StepFun's default field),
 * which is why this is not `??`.
 */
export function reasoningOf(part: Record<string, unknown>): string | undefined {
  const deepseek = part.reasoning_content;
  if (typeof deepseek === 'string' && deepseek !== '') return deepseek;
  const general = part.reasoning;
  return typeof general === 'string' && general !== '' ? general : undefined;
}
