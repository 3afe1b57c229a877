import { DueTimer } from './due-timer.js';
import type { Exchange } from './exchange.js';
import { sendError, sendJson } from './exchange.js';
import { completionId, type ReplyToSend, type Stoppable } from './stream-responder.js';
import { serverError } from './wire-errors.js';

/**
 * How a non-stream reply goes wrong, when it does. There is no stream to break, so at the moment
 * the reply was due a mid-stream error becomes a 500 and an abrupt close drops the connection
 * before any headers.
 */
export type JsonFailure = 'error' | 'abort';

/**
 * Answers a non-stream request once the whole reply would have been generated (the same schedule
 * as the stream), as one `application/json` body per wire facts §3.
 */
export function jsonReply(ex: Exchange, reply: ReplyToSend, failure?: JsonFailure): Stoppable {
  const timer = new DueTimer();
  ex.res.once('close', () => timer.clear());
  timer.at(ex.record.receivedAt + reply.doneAtMs, () => {
    if (failure === 'error')
      return sendError(ex, serverError('The server had an error while generating the response'));
    if (failure === 'abort') {
      ex.closedByServer = true;
      ex.res.destroy();
      return;
    }
    let content = '';
    let reasoning = '';
    let reasoningTokens = 0;
    let completionTokens = 0;
    for (const chunk of reply.chunks) {
      completionTokens += chunk.tokens;
      if (chunk.kind === 'content') content += chunk.text;
      else {
        reasoning += chunk.text;
        reasoningTokens += chunk.tokens;
      }
    }
    const message: Record<string, string> = { role: 'assistant', content };
    if (reasoningTokens > 0) message[reply.request.reasoningKey] = reasoning;
    const body = {
      id: completionId(),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.request.model,
      choices: [{ index: 0, message, finish_reason: reply.finishReason }],
      usage: {
        prompt_tokens: reply.promptTokens,
        completion_tokens: completionTokens,
        total_tokens: reply.promptTokens + completionTokens,
      },
    };
    ex.record.completionTokens = completionTokens;
    ex.record.reasoningTokens = reasoningTokens;
    sendJson(ex, 200, JSON.stringify(body));
  });
  return {
    stop() {
      timer.clear();
      return !ex.res.headersSent && !ex.res.destroyed;
    },
  };
}
