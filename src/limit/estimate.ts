import type { ChatMessage } from '../dataset/types.js';
import { estimatePromptTokens } from '../tokens/estimate.js';

/**
 * Output tokens reserved for a request that sets no `max_tokens`. StepFun's own default is "as
 * many as the model likes", so there is no honest upper bound; 256 is a typical chat answer. It
 * only shapes the short-term TPM burst: the debit is corrected with the real usage when the
 * request ends. Rows that expect long answers should set `max_tokens`, which is used as given.
 */
export const DEFAULT_OUTPUT_RESERVE = 256;

function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Tokens to debit from the TPM budget before sending: prompt estimate + output reserve. */
export function estimateRequestTokens(
  messages: readonly ChatMessage[],
  params: Readonly<Record<string, unknown>>,
): number {
  const output =
    positiveNumber(params.max_tokens) ??
    positiveNumber(params.max_completion_tokens) ??
    DEFAULT_OUTPUT_RESERVE;
  return estimatePromptTokens(messages) + Math.ceil(output);
}
