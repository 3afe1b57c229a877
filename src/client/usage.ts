import type { ChatMessage } from '../dataset/types.js';
import { estimatePromptTokens, estimateTextTokens } from '../tokens/estimate.js';
import type { ToolCall, Usage } from './types.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function nested(parent: unknown, key: string): unknown {
  return parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
}

/**
 * A server `usage` object as stepbench's Usage, or undefined when it carries no counts.
 * StepFun puts `cached_tokens` at the top level; OpenAI under `prompt_tokens_details`, DeepSeek
 * as `prompt_cache_hit_tokens`. Reasoning tokens only exist where the server breaks them out.
 *
 * An all-zero object counts as "no usage": StepFun's first (role) chunk carries one as a
 * placeholder, and a stream cut right after it must not report a reply that cost zero tokens.
 */
export function parseWireUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const wire = raw as Record<string, unknown>;
  const promptTokens = count(wire.prompt_tokens) ?? 0;
  const completionTokens = count(wire.completion_tokens) ?? 0;
  const totalTokens = count(wire.total_tokens) ?? promptTokens + completionTokens;
  if (promptTokens === 0 && completionTokens === 0 && totalTokens === 0) return undefined;
  const usage: Usage = { promptTokens, completionTokens, totalTokens, source: 'server' };
  const cached =
    count(wire.cached_tokens) ??
    count(nested(wire.prompt_tokens_details, 'cached_tokens')) ??
    count(wire.prompt_cache_hit_tokens);
  if (cached !== undefined) usage.cachedTokens = cached;
  const reasoning = count(nested(wire.completion_tokens_details, 'reasoning_tokens'));
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

/** A tokenizer-free estimate, used when the server reported no usage at all. */
export function estimateUsage(
  messages: readonly ChatMessage[],
  text: string,
  reasoning: string,
  toolCalls: readonly ToolCall[],
): Usage {
  const promptTokens = estimatePromptTokens(messages);
  let completionTokens = estimateTextTokens(text) + estimateTextTokens(reasoning);
  for (const call of toolCalls) completionTokens += estimateTextTokens((call.name ?? '') + call.arguments);
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    source: 'estimated',
  };
}
