import type { Dispatcher } from 'undici';
import type { ChatMessage } from '../dataset/types.js';
import type { Target } from '../plan/types.js';
import { redactText, targetSecrets } from '../redact.js';
import { classifyAbort, classifyStatus, classifyThrown, keptHeaders } from './classify.js';
import { decodeCompletionJson } from './completion-json.js';
import { AttemptDeadlines, type Timeouts } from './deadlines.js';
import type { DecodedReply } from './reply.js';
import { buildRequestBody, prepareTarget } from './request.js';
import { StreamDecoder } from './stream-decoder.js';
import type { Transport } from './transport.js';
import type { AttemptError, AttemptResult, OutcomeClass } from './types.js';
import { estimateUsage } from './usage.js';
import { arrivalClock, watchAttempt } from './wire-clock.js';
import { errorFromBody } from './wire-error.js';

// The client's public surface, in one import for the run loop.
export { classifyStatus, type TimeoutAbortReason } from './classify.js';
export type { Timeouts } from './deadlines.js';
export { buildRequestBody } from './request.js';

export interface SendOptions {
  /**
   * Aborts the attempt. Abort with `{ kind: 'timeout', phase }` (see TimeoutAbortReason) to have
   * it reported as `timeout_<phase>`; any other reason is reported as `interrupted`.
   */
  signal?: AbortSignal;
  /** Clock for every timestamp; defaults to `performance.now()`. */
  now?: () => number;
  /** Named timeouts (first token, idle, total); the connect timeout belongs to the Transport. */
  timeouts?: Timeouts;
}

/** Error bodies are read only this far: enough for any real error envelope, bounded for a hostile one. */
const ERROR_BODY_LIMIT = 64 * 1024;

const defaultNow = (): number => performance.now();

type ResponseBody = Dispatcher.ResponseData['body'];

/**
 * Sends one chat completion request and classifies what happened. Exactly one HTTP attempt:
 * retries and rate-limit adaptation live in `src/limit/`. Never throws for anything the server
 * or the network does; every failure comes back as an AttemptResult with an outcome class.
 */
export async function sendCompletion(
  transport: Transport,
  target: Target,
  messages: ChatMessage[],
  rowParams: Record<string, unknown>,
  options: SendOptions = {},
): Promise<AttemptResult> {
  const now = options.now ?? defaultNow;
  const deadlines = new AttemptDeadlines(options.timeouts ?? {}, options.signal);
  try {
    return await attempt(transport, target, messages, rowParams, now, deadlines);
  } finally {
    deadlines.dispose();
  }
}

async function attempt(
  transport: Transport,
  target: Target,
  messages: ChatMessage[],
  rowParams: Record<string, unknown>,
  now: () => number,
  deadlines: AttemptDeadlines,
): Promise<AttemptResult> {
  const signal = deadlines.signal;
  const endpoint = prepareTarget(target);
  // A Buffer, not a string: undici keeps a Buffer body as it is, which is how the wire clock
  // recognises this request when its headers are written (wire-clock.ts).
  const payload = Buffer.from(JSON.stringify(buildRequestBody(target, messages, rowParams)));
  const wire = watchAttempt(payload, now, () => deadlines.sent());
  const arrived = arrivalClock(wire, now);
  const finish = (
    partial: Partial<AttemptResult> & Pick<AttemptResult, 'outcome' | 'times'>,
  ): AttemptResult => {
    if (wire.connect) {
      partial.times.connectStart = wire.connect.startAt;
      partial.times.connectEnd = wire.connect.endAt;
    }
    return finalize(partial, messages, () => targetSecrets(target));
  };

  // Only a fallback: the clock starts when the headers are on the wire (wire.sentAt), after any
  // wait for a connection and its set-up. A request that never got written keeps this one.
  const requestedAt = now();
  let response: Dispatcher.ResponseData;
  try {
    response = await transport.pool(endpoint.origin).request({
      method: 'POST',
      path: endpoint.path,
      headers: endpoint.headers,
      body: payload,
      signal,
      headersTimeout: transport.headersTimeoutMs,
      bodyTimeout: transport.bodyTimeoutMs,
    });
  } catch (error) {
    const { outcome, message } = classifyFailure(error, signal);
    return finish({
      outcome,
      error: { message: `request to ${endpoint.origin} failed: ${message}` },
      times: { sentAt: wire.sentAt ?? requestedAt, endAt: now() },
    });
  }
  const headersAt = arrived();
  const sentAt = wire.sentAt ?? requestedAt;
  deadlines.started();
  const { statusCode: status, headers, body } = response;
  const base = { status, ...responseMeta(headers) };

  if (status >= 400) {
    let error: AttemptError;
    let endAt: number;
    try {
      error = httpError(status, await readBounded(body, ERROR_BODY_LIMIT));
    } catch {
      // The status already says what went wrong; a body that broke off adds nothing to it.
      error = { message: `HTTP ${status}` };
    } finally {
      endAt = now();
      await dumpQuietly(body);
    }
    return finish({ ...base, outcome: classifyStatus(status), error, times: { sentAt, headersAt, endAt } });
  }

  const contentType = String(headers['content-type'] ?? '');
  // Decide by what the server sent, not what was asked: a server that ignores `stream` (or
  // answers an error as JSON) must still be read correctly.
  const isStream =
    contentType.includes('text/event-stream') || (target.stream && !contentType.includes('application/json'));
  const decoder = isStream ? new StreamDecoder() : undefined;
  try {
    const reply = decoder
      ? await readStream(body, decoder, arrived, deadlines)
      : decodeCompletionJson(await body.text(), now());
    return finish({ ...base, ...fromReply(reply, headersAt, sentAt) });
  } catch (error) {
    const at = now();
    if (!decoder) {
      const { outcome, message } = classifyFailure(error, signal);
      return finish({
        ...base,
        outcome,
        error: { message: `reading the response failed: ${message}` },
        times: { sentAt, headersAt, endAt: at },
      });
    }
    const reply = decoder.end(at);
    // The stream had already said how it ended ([DONE], an error event, or a final
    // finish_reason) before the connection went: the reply is whole, keep it as decoded.
    if (reply.outcome !== 'truncated') return finish({ ...base, ...fromReply(reply, headersAt, sentAt) });
    // Otherwise the failure is the outcome (the retry policy treats it like any network error
    // or timeout), and whatever text had arrived is kept for the record.
    const { outcome, message } = classifyFailure(error, signal);
    return finish({
      ...base,
      ...fromReply(reply, headersAt, sentAt),
      outcome,
      error: { message: `the stream broke off after ${reply.tokenTimes.length} text chunks: ${message}` },
    });
  } finally {
    await dumpQuietly(body);
  }
}

/** A failure thrown by undici: our own abort reasons first (the signal knows why), then undici's codes. */
function classifyFailure(
  error: unknown,
  signal: AbortSignal | undefined,
): { outcome: OutcomeClass; message: string } {
  if (signal?.aborted) return classifyAbort(signal.reason);
  return classifyThrown(error);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function responseMeta(
  headers: Dispatcher.ResponseData['headers'],
): Pick<AttemptResult, 'traceId' | 'headers'> {
  const meta: Pick<AttemptResult, 'traceId' | 'headers'> = {};
  const traceId = firstHeader(headers['x-trace-id']);
  if (traceId) meta.traceId = traceId;
  const kept = keptHeaders(headers);
  if (kept) meta.headers = kept;
  return meta;
}

function httpError(status: number, bodyText: string): AttemptError {
  const error = errorFromBody(status, bodyText);
  return { ...error, message: `HTTP ${status}: ${error.message}` };
}

/**
 * Reads an SSE body to its end through the decoder. The loop never breaks early, even after
 * `[DONE]` (the decoder ignores what follows): leaving a body half-read makes undici drop the
 * connection, and keep-alive reuse is worth more than the few bytes that trail `[DONE]`.
 */
async function readStream(
  body: ResponseBody,
  decoder: StreamDecoder,
  arrived: () => number,
  deadlines: AttemptDeadlines,
): Promise<DecodedReply> {
  // Plain 'data' events rather than `for await`: the async iterator costs a promise and a
  // microtask hop per chunk, which showed up as ~12 % of client CPU at 256 streams.
  await new Promise<void>((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      // Each read is stamped with when it came off the socket, not when this handler ran.
      decoder.push(chunk, arrived());
      deadlines.chunk(decoder.sawFirstToken);
    });
    body.once('end', resolve);
    body.once('error', reject);
  });
  return decoder.end(arrived());
}

/** The first `limit` bytes of a body as text; the rest is left for `dump()` (which may close the socket). */
async function readBounded(body: ResponseBody, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    parts.push(buffer);
    length += buffer.length;
    if (length >= limit) break;
  }
  return Buffer.concat(parts).subarray(0, limit).toString('utf8');
}

/** Consumes what is left of a body so the connection is released; errors here change nothing. */
async function dumpQuietly(body: ResponseBody): Promise<void> {
  try {
    await body.dump();
  } catch {
    // Already destroyed by an abort or a socket error: nothing left to release.
  }
}

function fromReply(
  reply: DecodedReply,
  headersAt: number,
  sentAt: number,
): Omit<AttemptResult, 'usage'> & Partial<AttemptResult> {
  const result: Omit<AttemptResult, 'usage'> & Partial<AttemptResult> = {
    outcome: reply.outcome,
    times: { sentAt, headersAt, endAt: reply.endAt },
    tokenTimes: reply.tokenTimes,
    text: reply.text,
    reasoning: reply.reasoning,
    toolCalls: reply.toolCalls,
  };
  if (reply.firstTokenAt !== undefined) result.times.firstTokenAt = reply.firstTokenAt;
  if (reply.firstAnswerAt !== undefined) result.times.firstAnswerAt = reply.firstAnswerAt;
  if (reply.error) result.error = reply.error;
  if (reply.responseId !== undefined) result.responseId = reply.responseId;
  if (reply.finishReason !== undefined) result.finishReason = reply.finishReason;
  if (reply.usage) result.usage = reply.usage;
  return result;
}

/**
 * Fills the defaults every AttemptResult has (empty text, estimated usage when the server sent
 * none) and redacts secrets from the error: messages travel into results, reports and CI logs.
 */
function finalize(
  partial: Partial<AttemptResult> & Pick<AttemptResult, 'outcome' | 'times'>,
  messages: readonly ChatMessage[],
  // Collected only when there is an error to redact: most attempts succeed, and this is the hot path.
  secrets: () => readonly string[],
): AttemptResult {
  const text = partial.text ?? '';
  const reasoning = partial.reasoning ?? '';
  const toolCalls = partial.toolCalls ?? [];
  const result: AttemptResult = {
    ...partial,
    tokenTimes: partial.tokenTimes ?? [],
    text,
    reasoning,
    toolCalls,
    usage: partial.usage ?? estimateUsage(messages, text, reasoning, toolCalls),
  };
  if (result.error) {
    const known = secrets();
    const error: AttemptError = { message: redactText(result.error.message, known) };
    if (result.error.type !== undefined) error.type = redactText(result.error.type, known);
    result.error = error;
  }
  return result;
}
