import { estimatePromptTokens } from '../tokens/estimate.js';
import { planChunks } from './chunk-plan.js';
import { type Exchange, readBody, sendError } from './exchange.js';
import { jsonReply } from './json-responder.js';
import { planReply } from './reply.js';
import { streamReply } from './stream-responder.js';
import { validateChatRequest } from './validate.js';
import { bodyTooLarge } from './wire-errors.js';

/** Large enough for long multimodal prompts, small enough that a runaway client can't exhaust memory. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * `POST /v1/chat/completions`, after routing and auth. The pipeline, one step per concern:
 *   read body → validate → [admission: concurrency/RPM/TPM → 429, later] →
 *   [faults: 500/503/402/451, stalls, cuts, later] → plan the reply → respond (stream or JSON).
 * Later steps plug in between validate and respond as their own modules.
 */
export async function handleChat(ex: Exchange): Promise<void> {
  const body = await readBody(ex.req, MAX_BODY_BYTES);
  if (body.kind === 'aborted') return;
  if (body.kind === 'too_large') return sendError(ex, bodyTooLarge(MAX_BODY_BYTES));

  const validated = validateChatRequest(body.text, ex.options.models);
  if (!validated.ok) return sendError(ex, validated.error);
  const request = validated.value;
  const promptTokens = estimatePromptTokens(request.messages);
  ex.record.model = request.model;
  ex.record.stream = request.stream;
  ex.record.promptTokens = promptTokens;

  const { options } = ex;
  const tokens = planReply({
    seed: options.seed,
    model: request.model,
    messages: request.messages,
    reasoningTokens: options.reasoningTokens,
    replyTokens: options.replyTokens,
    ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
  });
  const { chunks, doneAtMs } = planChunks(tokens, options, ex.random);
  const reply = { request, promptTokens, chunks, doneAtMs, finishReason: tokens.finishReason };
  if (request.stream) streamReply(ex, reply);
  else jsonReply(ex, reply);
}
