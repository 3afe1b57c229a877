import { preview, RowProblem } from './row-problem.js';
import { fillTemplate } from './template.js';
import type { ChatMessage } from './types.js';

const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant', 'tool']);

/** Checks a `messages` value: a non-empty array of `{role, content}` with a known role. */
export function checkMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RowProblem(`messages must be a non-empty array, got ${preview(value)}`);
  }
  return value.map((message, index) => {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      throw new RowProblem(`messages[${index}] must be an object with role and content`);
    }
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw new RowProblem(
        `messages[${index}].role must be one of ${[...ROLES].join(', ')}, got ${preview(role)}`,
      );
    }
    if (!('content' in message)) throw new RowProblem(`messages[${index}] has no content`);
    if (typeof content !== 'string' && content !== null && !Array.isArray(content)) {
      throw new RowProblem(`messages[${index}].content must be a string, null or an array of parts`);
    }
    return { ...(message as ChatMessage) };
  });
}

/** Fills templates in every string content, and in the `text` of multimodal text parts. */
export function fillMessageTemplates(
  messages: ChatMessage[],
  vars: ReadonlyMap<string, string>,
): ChatMessage[] {
  return messages.map((message, index) => {
    const where = `messages[${index}].content`;
    if (typeof message.content === 'string') {
      return { ...message, content: fillTemplate(message.content, vars, where) };
    }
    if (Array.isArray(message.content)) {
      const parts = message.content.map((part) =>
        isTextPart(part) ? { ...part, text: fillTemplate(part.text, vars, where) } : part,
      );
      return { ...message, content: parts };
    }
    return message;
  });
}

function isTextPart(part: unknown): part is { type: 'text'; text: string } {
  return (
    part !== null &&
    typeof part === 'object' &&
    (part as { type?: unknown }).type === 'text' &&
    typeof (part as { text?: unknown }).text === 'string'
  );
}
