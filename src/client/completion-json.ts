import { type DecodedReply, outcomeOfFinish, reasoningOf } from './reply.js';
import { ToolCallMerger } from './tool-calls.js';
import { parseWireUsage } from './usage.js';
import { quote, wireError } from './wire-error.js';

type Json = Record<string, unknown>;

/** `message.content` as text: a string, or the text parts of a multimodal content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (part && typeof part === 'object' && typeof (part as Json).text === 'string')
      text += (part as Json).text;
  }
  return text;
}

/**
 * Decodes a non-streaming chat completion body that finished arriving at `at`.
 *
 * Without streaming nothing is visible before the whole body is in, so time to first token,
 * time to first answer token and end-to-end latency are all the same instant, and there is no
 * inter-token latency: `tokenTimes` holds that one instant when the reply has any text.
 */
export function decodeCompletionJson(bodyText: string, at: number): DecodedReply {
  const reply: DecodedReply = {
    outcome: 'ok',
    text: '',
    reasoning: '',
    toolCalls: [],
    endAt: at,
    tokenTimes: [],
    sawDone: false,
  };
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    reply.outcome = 'stream_error';
    reply.error = { message: `response body is not JSON: ${quote(bodyText.trim())}` };
    return reply;
  }
  const error = wireError(body);
  if (error) {
    reply.outcome = 'stream_error';
    reply.error = error;
    return reply;
  }
  const record = (body !== null && typeof body === 'object' ? body : {}) as Json;
  if (typeof record.id === 'string' && record.id !== '') reply.responseId = record.id;
  const usage = parseWireUsage(record.usage);
  if (usage) reply.usage = usage;

  const choice = Array.isArray(record.choices) ? (record.choices[0] as Json | undefined) : undefined;
  const message = choice?.message;
  if (!choice || message === null || typeof message !== 'object') {
    reply.outcome = 'stream_error';
    reply.error = { message: `response has no choices[0].message: ${quote(bodyText.trim())}` };
    return reply;
  }
  const msg = message as Json;
  reply.text = contentText(msg.content);
  reply.reasoning = reasoningOf(msg) ?? '';
  if (Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0) {
    const merger = new ToolCallMerger();
    merger.add(msg.tool_calls);
    reply.toolCalls = merger.result();
  }
  if (reply.text !== '') reply.firstAnswerAt = at;
  if (reply.text !== '' || reply.reasoning !== '' || reply.toolCalls.length > 0) {
    reply.firstTokenAt = at;
    reply.tokenTimes.push(at);
  }
  // The body arrived whole, so a missing finish_reason (StepFun's audio example has `null`)
  // does not mean truncation here.
  const finish = choice.finish_reason;
  if (typeof finish === 'string' && finish !== '') {
    reply.finishReason = finish;
    reply.outcome = outcomeOfFinish(finish);
  }
  return reply;
}
