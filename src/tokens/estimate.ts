import type { ChatMessage } from '../dataset/types.js';

// Ideographs, kana and hangul: BPE tokenizers used by StepFun-class models spend roughly one
// token per character on them, against roughly four characters per token for Latin text.
const WIDE_CHAR = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/gu;

/**
 * A tokenizer-free estimate of how many tokens `text` costs. Used when a server reports no usage
 * (results mark it `estimated`), for token-budget debits before a request, and by the mock so its
 * counts are deterministic. Not a substitute for the server's count.
 */
export function estimateTextTokens(text: string): number {
  if (text.length === 0) return 0;
  const wide = text.match(WIDE_CHAR)?.length ?? 0;
  const narrow = text.length - wide;
  return wide + Math.ceil(narrow / 4);
}

function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

/** Prompt tokens of a chat request: message texts plus a small per-message framing overhead. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let total = 3;
  for (const m of messages) total += 4 + estimateTextTokens(contentText(m.content));
  return total;
}
