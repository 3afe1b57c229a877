import { randomBytes } from 'node:crypto';
import type { PlannedChunk } from './chunk-plan.js';
import { ChunkEncoder } from './chunks.js';
import { DueTimer } from './due-timer.js';
import type { Exchange } from './exchange.js';
import { SseWriter } from './sse-writer.js';
import type { ChatRequest } from './validate.js';
import { serverError, wireErrorBody } from './wire-errors.js';

export interface ReplyToSend {
  request: ChatRequest;
  promptTokens: number;
  chunks: PlannedChunk[];
  /** ms after arrival when the last text is out. */
  doneAtMs: number;
  finishReason: 'stop' | 'length';
}

/**
 * A fault that replaces the rest of a stream after `afterChunks` text chunks (at the time the next
 * chunk was due): go silent, send an error event and `[DONE]`, or drop the connection.
 */
export interface StreamInterrupt {
  afterChunks: number;
  action: 'stall' | 'error' | 'abort';
}

/** A response in progress that the server's time cap can stop. */
export interface Stoppable {
  /** Stops all further output; true when the response was still in progress. */
  stop(): boolean;
}

/** StepFun ids come as 32 hex digits (among other forms); opaque to clients. */
export const completionId = (): string => randomBytes(16).toString('hex');

/** The vLLM/OpenAI mid-stream error form (wire facts §8), then `[DONE]`. */
const MID_STREAM_ERROR = wireErrorBody(serverError('The server had an error while generating the response'));

/**
 * Streams the reply as SSE: headers and the role chunk at once, each text chunk at its planned
 * time (one timer per stream at a time, so thousands of slow streams cost only timers), then the
 * final chunk and `[DONE]`. Stops quietly when the client goes away. `stop()` ends the stream
 * cleanly but without finish_reason or `[DONE]`, as the server's time cap does.
 */
export function streamReply(ex: Exchange, reply: ReplyToSend, interrupt?: StreamInterrupt): Stoppable {
  const { res, options, record } = ex;
  const quirks = options.quirks;
  const encoder = new ChunkEncoder({
    id: completionId(),
    created: Math.floor(Date.now() / 1000),
    model: reply.request.model,
    promptTokens: reply.promptTokens,
    reasoningKey: reply.request.reasoningKey,
    usageMode: quirks.usage,
    finishReasonStyle: quirks.finishReasonStyle,
  });
  const writer = new SseWriter(res, quirks, ex.random, () => {
    record.lastWriteAt = performance.now();
  });

  // Stamped before the write, like every ground-truth time: a client cannot see it earlier.
  record.headersAt = performance.now();
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  writer.data(encoder.role());

  const timer = new DueTimer();
  let finished = false;
  res.once('close', () => timer.clear());
  const arrivedAt = record.receivedAt;
  const schedule = (atMs: number, step: () => void) => timer.at(arrivedAt + atMs, step);

  let completion = 0;
  const finish = (textAlreadyCarried: boolean) => {
    finished = true;
    if (!textAlreadyCarried) writer.data(encoder.finish(completion, reply.finishReason));
    if (quirks.usage === 'openai' && reply.request.includeUsage) writer.data(encoder.usageOnly(completion));
    writer.data('[DONE]');
    writer.end();
  };

  // The fault must strike before any finish_reason goes out: at the latest in place of the final
  // chunk, or of the last text chunk when that one carries the finish_reason.
  const lastFaultFree = reply.chunks.length - (quirks.finalChunkCarriesText ? 1 : 0);
  const faultAt = interrupt ? Math.max(0, Math.min(interrupt.afterChunks, lastFaultFree)) : -1;
  const strike = (action: StreamInterrupt['action']) => {
    // 'stall': nothing more, ever; the socket stays open until the client, the cap or close() ends it.
    if (action === 'stall') return;
    finished = true;
    if (action === 'error') {
      writer.data(MID_STREAM_ERROR);
      writer.data('[DONE]');
      writer.end();
    } else {
      ex.closedByServer = true;
      writer.abort();
    }
  };

  const sendChunk = (index: number) => {
    if (index === faultAt) return strike(interrupt!.action);
    const chunk = reply.chunks[index]!;
    const last = index === reply.chunks.length - 1;
    completion += chunk.tokens;
    if (chunk.kind === 'reasoning') record.reasoningTokens += chunk.tokens;
    record.completionTokens = completion;
    const carryFinish = last && quirks.finalChunkCarriesText;
    record.firstTokenAt ??= performance.now();
    writer.data(
      encoder.text(chunk.kind, chunk.text, completion, carryFinish ? reply.finishReason : undefined),
    );
    if (!last) schedule(reply.chunks[index + 1]!.atMs, () => sendChunk(index + 1));
    else if (carryFinish) finish(true);
    else finishOrStrike();
  };
  const finishOrStrike = () => (faultAt === reply.chunks.length ? strike(interrupt!.action) : finish(false));

  if (reply.chunks.length === 0) schedule(reply.doneAtMs, finishOrStrike);
  else schedule(reply.chunks[0]!.atMs, () => sendChunk(0));

  return {
    stop() {
      timer.clear();
      if (finished || res.destroyed) return false;
      finished = true;
      writer.end();
      return true;
    },
  };
}
