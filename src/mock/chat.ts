import type { ChatMessage } from '../dataset/types.js';
import { estimatePromptTokens } from '../tokens/estimate.js';
import { type CannedAnswer, findCannedAnswer } from './canned-answers.js';
import { planChunks } from './chunk-plan.js';
import { type Exchange, readBody, sendError } from './exchange.js';
import { anyFaultRate, drawFault, type FaultPlan } from './faults.js';
import { markFault, refuseModerated, refuseOverLimit, refuseWhenBalanceGone } from './gates.js';
import { gradingReply } from './grading.js';
import { jsonReply } from './json-responder.js';
import { messageText } from './moderation.js';
import { planReply } from './reply.js';
import { RequestCap } from './request-cap.js';
import { type ReplyToSend, type Stoppable, type StreamInterrupt, streamReply } from './stream-responder.js';
import { validateChatRequest } from './validate.js';
import { bodyTooLarge, serverError, serverOverloaded } from './wire-errors.js';

/** Large enough for long multimodal prompts, small enough that a runaway client can't exhaust memory. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

const NO_FAULT: FaultPlan = { kind: 'none' };

/**
 * `POST /v1/chat/completions`, after routing and auth. The pipeline, one step per concern:
 *   [time cap armed] → read body → validate (400) → balance (402) → rate limits (429) →
 *   moderation (451) → seeded fault draw (500/503 now; stalls, error events, cuts later) →
 *   plan the reply → respond (stream or JSON).
 * A request turned away before the rate limits never counts toward them; one refused by
 * moderation was admitted, so it does (as on a real gateway, where the filter runs behind it).
 */
export async function handleChat(ex: Exchange): Promise<void> {
  const cap = new RequestCap(ex);
  const body = await readBody(ex.req, MAX_BODY_BYTES);
  if (body.kind === 'aborted') return;
  // The cap may have answered while the body was still arriving.
  if (ex.res.headersSent || ex.res.destroyed) return;
  if (body.kind === 'too_large') return sendError(ex, bodyTooLarge(MAX_BODY_BYTES));

  const validated = validateChatRequest(body.text, ex.options.models);
  if (!validated.ok) return sendError(ex, validated.error);
  const request = validated.value;
  const promptTokens = estimatePromptTokens(request.messages);
  ex.record.model = request.model;
  ex.record.stream = request.stream;
  ex.record.promptTokens = promptTokens;

  if (refuseWhenBalanceGone(ex)) return;
  if (refuseOverLimit(ex, promptTokens)) return;
  if (refuseModerated(ex, request.messages)) return;

  const { options } = ex;
  const fault = anyFaultRate(options) ? drawFault(options, options.seed, ex.requestNumber) : NO_FAULT;
  if (fault.kind !== 'none') markFault(ex, fault.kind);
  if (fault.kind === 'error500') return sendError(ex, serverError());
  if (fault.kind === 'error503') return sendError(ex, serverOverloaded());
  // Past this point a reply starts (even one that will fail), so the balance is charged.
  ex.state.billedReplies++;
  if (fault.kind === 'stall' && (fault.phase === 'before-headers' || !request.stream)) return;

  // A stepbench grading prompt gets a deterministic verdict (grading.ts); a canned answer its
  // text (canned-answers.ts); anything else, seeded filler.
  const tokens =
    gradingReply(request.messages, request.maxTokens) ??
    planReply({
      seed: options.seed,
      model: request.model,
      messages: request.messages,
      reasoningTokens: options.reasoningTokens,
      replyTokens: options.replyTokens,
      ...cannedFor(options.answers, request.model, request.messages),
      ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
    });
  const { chunks, doneAtMs } = planChunks(tokens, options, ex.random);
  const reply: ReplyToSend = { request, promptTokens, chunks, doneAtMs, finishReason: tokens.finishReason };
  cap.attach(respond(ex, reply, fault));
}

function respond(ex: Exchange, reply: ReplyToSend, fault: FaultPlan): Stoppable {
  if (!reply.request.stream) {
    if (fault.kind === 'midStreamError') return jsonReply(ex, reply, 'error');
    if (fault.kind === 'abruptClose') return jsonReply(ex, reply, 'abort');
    return jsonReply(ex, reply);
  }
  let interrupt: StreamInterrupt | undefined;
  if (fault.kind === 'stall') interrupt = { afterChunks: fault.afterChunks, action: 'stall' };
  if (fault.kind === 'midStreamError') interrupt = { afterChunks: fault.afterChunks, action: 'error' };
  if (fault.kind === 'abruptClose') interrupt = { afterChunks: fault.afterChunks, action: 'abort' };
  return streamReply(ex, reply, interrupt);
}

/** The canned answer for this request, as a `planReply` field; nothing when none matches. */
function cannedFor(
  answers: readonly CannedAnswer[],
  model: string,
  messages: readonly ChatMessage[],
): { cannedAnswer?: string } {
  if (answers.length === 0) return {};
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const answer = findCannedAnswer(answers, model, lastUser ? messageText(lastUser.content) : '');
  return answer === undefined ? {} : { cannedAnswer: answer };
}
