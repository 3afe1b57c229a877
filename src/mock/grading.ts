import type { ChatMessage } from '../dataset/types.js';
import type { ReplyTokens } from './reply.js';

/**
 * The mock's answer to a stepbench grading prompt (a `judge` assertion asked of a grader target):
 * a JSON verdict computed by a fixed rule instead of filler text, so `--grader` works offline and
 * tests of it are deterministic.
 *
 * The mock keeps its own copy of the rule rather than importing the client's offline grader: it
 * plays a remote model and must stay a standalone server that only speaks the wire protocol, so
 * that a bug in the client's eval code can never be mirrored by the server it is tested against.
 * It reads only the request's text. A test pins the two rules to the same verdicts.
 *
 * A grading prompt is recognised by GRADING_MARKER in a system message (src/eval/grading-prompt.ts
 * writes it); its user message carries the case as JSON `{rubric, output, expected?, vars?}`.
 */
export const GRADING_MARKER = 'stepbench-grader/1';

// "…" and “…”: straight and curly double quotes.
const QUOTED = /"([^"]+)"|“([^”]+)”/g;

function textOf(message: ChatMessage): string {
  return typeof message.content === 'string' ? message.content : '';
}

/** Whether `messages` are a stepbench grading prompt. */
export function isGradingRequest(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => m.role === 'system' && textOf(m).includes(GRADING_MARKER));
}

interface GradingCase {
  rubric: string;
  output: string;
}

function readCase(messages: readonly ChatMessage[]): GradingCase | undefined {
  const user = messages.findLast((m) => m.role === 'user');
  const text = user ? textOf(user) : '';
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const value = JSON.parse(text.slice(start)) as Record<string, unknown>;
    if (typeof value.rubric === 'string' && typeof value.output === 'string')
      return { rubric: value.rubric, output: value.output };
  } catch {
    // Not a case this mock can read: said so in the verdict.
  }
  return undefined;
}

/**
 * The rule: the rubric's double-quoted phrases must all appear in the output, ignoring case; the
 * score is the share found. No quoted phrase, or an unreadable case, fails.
 */
export function mockVerdict(messages: readonly ChatMessage[]): {
  pass: boolean;
  score: number;
  reason: string;
} {
  const graded = readCase(messages);
  if (!graded) return { pass: false, score: 0, reason: 'mock grader: could not read the grading case' };
  const phrases = [
    ...new Set([...graded.rubric.matchAll(QUOTED)].map((m) => (m[1] ?? m[2] ?? '').trim())),
  ].filter((p) => p !== '');
  if (phrases.length === 0)
    return { pass: false, score: 0, reason: 'mock grader: the rubric quotes no phrase to look for' };
  const fold = (s: string) => s.normalize('NFC').toLowerCase();
  const output = fold(graded.output);
  const missing = phrases.filter((p) => !output.includes(fold(p)));
  const score = (phrases.length - missing.length) / phrases.length;
  if (missing.length === 0)
    return { pass: true, score, reason: 'mock grader: the output has every quoted phrase of the rubric' };
  return {
    pass: false,
    score,
    reason: `mock grader: the output lacks ${missing.map((p) => JSON.stringify(p)).join(', ')}`,
  };
}

/**
 * The reply tokens for a grading request (the verdict JSON, a few characters per token), or
 * undefined for any other request. `max_tokens` cuts it like any reply.
 */
export function gradingReply(messages: readonly ChatMessage[], maxTokens?: number): ReplyTokens | undefined {
  if (!isGradingRequest(messages)) return undefined;
  const tokens = JSON.stringify(mockVerdict(messages)).match(/[\s\S]{1,4}/g) ?? [];
  const cap = maxTokens ?? Number.POSITIVE_INFINITY;
  return {
    reasoning: [],
    answer: tokens.slice(0, cap),
    finishReason: tokens.length > cap ? 'length' : 'stop',
  };
}
