import type { ChatMessage } from '../dataset/types.js';
import { paramsInvalid, type WireError } from './wire-errors.js';

/** The parts of a chat request the mock acts on; everything else in the body is accepted and ignored. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  maxTokens?: number;
  /** `reasoning_format: "deepseek-style"` renames `reasoning` to `reasoning_content`. */
  reasoningKey: 'reasoning' | 'reasoning_content';
  /** `stream_options.include_usage` (only acted on in the openai usage quirk). */
  includeUsage: boolean;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; error: WireError };

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

const invalid = (message: string): Validated<never> => ({ ok: false, error: paramsInvalid(message) });

/** Checks an optional numeric parameter against StepFun's documented range. */
function checkRange(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    return `${name} must be a number between ${min} and ${max}, got ${JSON.stringify(value)}`;
  return undefined;
}

function checkMessages(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages must be a non-empty array';
  for (const [i, m] of messages.entries()) {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return `messages[${i}] must be an object`;
    const role = (m as Record<string, unknown>).role;
    if (typeof role !== 'string' || !ROLES.has(role))
      return `messages[${i}].role must be one of system, user, assistant, tool, got ${JSON.stringify(role)}`;
  }
  return undefined;
}

/** Parses and validates a `POST /v1/chat/completions` body the way StepFun answers 400s. */
export function validateChatRequest(bodyText: string, models: readonly string[]): Validated<ChatRequest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return invalid('Request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return invalid('Request body must be a JSON object');
  const body = parsed as Record<string, unknown>;

  if (typeof body.model !== 'string' || body.model === '') return invalid('model is required');
  if (!models.includes(body.model))
    return invalid(`Model ${body.model} does not exist or you do not have access to it`);
  const messagesProblem = checkMessages(body.messages);
  if (messagesProblem) return invalid(messagesProblem);

  const rangeProblem =
    checkRange(body, 'temperature', 0, 2) ??
    checkRange(body, 'top_p', 0, 1) ??
    checkRange(body, 'frequency_penalty', 0, 1);
  if (rangeProblem) return invalid(rangeProblem);

  const maxTokens = body.max_tokens;
  if (
    maxTokens !== undefined &&
    maxTokens !== null &&
    !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)
  )
    return invalid(`max_tokens must be an integer >= 1, got ${JSON.stringify(maxTokens)}`);
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean')
    return invalid(`stream must be true or false, got ${JSON.stringify(body.stream)}`);
  const format = body.reasoning_format;
  if (format !== undefined && format !== null && format !== 'general' && format !== 'deepseek-style')
    return invalid(`reasoning_format must be "general" or "deepseek-style", got ${JSON.stringify(format)}`);

  const streamOptions = body.stream_options;
  const includeUsage =
    !!streamOptions &&
    typeof streamOptions === 'object' &&
    (streamOptions as Record<string, unknown>).include_usage === true;

  return {
    ok: true,
    value: {
      model: body.model,
      messages: body.messages as ChatMessage[],
      stream: body.stream === true,
      ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
      reasoningKey: format === 'deepseek-style' ? 'reasoning_content' : 'reasoning',
      includeUsage,
    },
  };
}
