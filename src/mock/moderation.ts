import type { ChatMessage } from '../dataset/types.js';

/** The text of a message: a plain string, or the `text` parts of a multimodal content array. */
export function messageText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('\n');
}

/**
 * The moderation stand-in: a request whose user messages match `pattern` is refused with 451, the
 * way StepFun refuses prompts its content filter flags. Each user message is tested on its own,
 * so a pattern anchored with ^/$ means what it says.
 */
export function createModerationCheck(pattern: string | null): (messages: readonly ChatMessage[]) => boolean {
  if (pattern === null) return () => false;
  // The 'u' flag so a pattern over Chinese text treats each character as one, not two halves.
  const regex = new RegExp(pattern, 'u');
  return (messages) => messages.some((m) => m.role === 'user' && regex.test(messageText(m.content)));
}
