import { randomBytes } from 'node:crypto';
import type { PlannedChunk } from './chunk-plan.js';
import { ChunkEncoder } from './chunks.js';
import type { Exchange } from './exchange.js';
import { SseWriter } from './sse-writer.js';
import type { ChatRequest } from './validate.js';

export interface ReplyToSend {
  request: ChatRequest;
  promptTokens: number;
  chunks: PlannedChunk[];
  /** ms after arrival when the last text is out. */
  doneAtMs: number;
  finishReason: 'stop' | 'length';
}

/** StepFun ids come as 32 hex digits (among other forms); opaque to clients. */
export const completionId = (): string => randomBytes(16).toString('hex');

/**
 * Streams the reply as SSE: headers and the role chunk at once, each text chunk at its planned
 * time (one timer per stream at a time, so thousands of slow streams cost only timers), then the
 * final chunk and `[DONE]`. Stops quietly when the client goes away.
 */
export function streamReply(ex: Exchange, reply: ReplyToSend): void {
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
  const writer = new SseWriter(res, quirks, ex.random);

  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  record.headersAt = performance.now();
  writer.data(encoder.role());

  let timer: NodeJS.Timeout | undefined;
  res.once('close', () => clearTimeout(timer));
  const arrivedAt = record.receivedAt;
  const schedule = (atMs: number, step: () => void) => {
    timer = setTimeout(step, Math.max(0, arrivedAt + atMs - performance.now()));
  };

  let completion = 0;
  const finish = (textAlreadyCarried: boolean) => {
    if (!textAlreadyCarried) writer.data(encoder.finish(completion, reply.finishReason));
    if (quirks.usage === 'openai' && reply.request.includeUsage) writer.data(encoder.usageOnly(completion));
    writer.data('[DONE]');
    writer.end();
  };

  const sendChunk = (index: number) => {
    const chunk = reply.chunks[index]!;
    const last = index === reply.chunks.length - 1;
    completion += chunk.tokens;
    if (chunk.kind === 'reasoning') record.reasoningTokens += chunk.tokens;
    record.completionTokens = completion;
    const carryFinish = last && quirks.finalChunkCarriesText;
    writer.data(
      encoder.text(chunk.kind, chunk.text, completion, carryFinish ? reply.finishReason : undefined),
    );
    record.firstTokenAt ??= performance.now();
    if (last) finish(carryFinish);
    else schedule(reply.chunks[index + 1]!.atMs, () => sendChunk(index + 1));
  };

  if (reply.chunks.length === 0) schedule(reply.doneAtMs, () => finish(false));
  else schedule(reply.chunks[0]!.atMs, () => sendChunk(0));
}
