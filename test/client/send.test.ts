import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sendCompletion } from '../../src/client/send.js';
import { Transport } from '../../src/client/transport.js';
import type { ChatMessage } from '../../src/dataset/types.js';
import type { Target } from '../../src/plan/types.js';
import { isFatalForRun } from '../../src/results/fatal.js';
import { type LoopbackServer, startLoopbackServer, tick, writeInPieces } from './loopback-server.js';
import {
  RECORDING_COMPLETION_TOKENS,
  RECORDING_CONTENT,
  RECORDING_REASONING_TEXT,
  RECORDING_TEXT,
  recordingBytes,
  recordingText,
} from './stepfun-recording.js';

const API_KEY = 'sk-SECRET-stepbench-test-0123456789abcdef';
const messages: ChatMessage[] = [
  { role: 'system', content: '你是一个助手' },
  { role: 'user', content: '今天天气怎么样？' },
];

let server: LoopbackServer | undefined;
let transport: Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

async function setup(handler: Parameters<typeof startLoopbackServer>[0], connections = 4) {
  server = await startLoopbackServer(handler);
  transport = new Transport({ connections });
  return { server, transport };
}

function target(origin: string, overrides: Partial<Target> = {}): Target {
  return {
    name: 'step',
    baseUrl: `${origin}/v1/`,
    model: 'step-3.7-flash',
    apiKey: API_KEY,
    apiKeyEnv: 'STEP_API_KEY',
    headers: { 'X-Bench-Run': 'r1' },
    params: { temperature: 0.3 },
    stream: true,
    streamUsage: false,
    ...overrides,
  };
}

function sseHeaders(res: ServerResponse, extra: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-trace-id': 'trace-123', ...extra });
}

function jsonError(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('sendCompletion against a loopback server', () => {
  it('streams a StepFun reply split at tiny writes and records everything', async () => {
    const { server, transport } = await setup(async (_req, res) => {
      sseHeaders(res);
      await writeInPieces(res, recordingBytes(), 7);
      res.end();
    });
    const result = await sendCompletion(transport, target(server.origin), messages, { max_tokens: 64 });

    expect(result.outcome).toBe('ok');
    expect(result.status).toBe(200);
    expect(result.text).toBe(RECORDING_TEXT);
    expect(result.reasoning).toBe(RECORDING_REASONING_TEXT);
    expect(result.finishReason).toBe('stop');
    expect(result.traceId).toBe('trace-123');
    expect(result.responseId).toMatch(/^4e38135e/);
    expect(result.usage).toEqual({
      promptTokens: 85,
      completionTokens: RECORDING_COMPLETION_TOKENS,
      totalTokens: 85 + RECORDING_COMPLETION_TOKENS,
      source: 'server',
    });
    const { sentAt, headersAt, firstTokenAt, firstAnswerAt, endAt } = result.times;
    expect(headersAt).toBeGreaterThanOrEqual(sentAt);
    expect(firstTokenAt).toBeGreaterThanOrEqual(headersAt!);
    expect(firstAnswerAt).toBeGreaterThanOrEqual(firstTokenAt!);
    expect(endAt).toBeGreaterThanOrEqual(firstAnswerAt!);
    expect(result.tokenTimes.length).toBe(RECORDING_COMPLETION_TOKENS);
    expect(result.tokenTimes[0]).toBe(firstTokenAt);
    expect(result.error).toBeUndefined();
  });

  it('sends the right request: path, headers, and only the params that were set', async () => {
    const { server, transport } = await setup((_req, res) => {
      sseHeaders(res);
      res.end(recordingText());
    });
    await sendCompletion(transport, target(server.origin), messages, { max_tokens: 64 });
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers.accept).toBe('text/event-stream');
    expect(req?.headers['x-bench-run']).toBe('r1');
    expect(JSON.parse(req!.body)).toEqual({
      model: 'step-3.7-flash',
      messages,
      stream: true,
      temperature: 0.3,
      max_tokens: 64,
    });
  });

  it('reuses one keep-alive connection across requests, also after an error status', async () => {
    let calls = 0;
    const { server, transport } = await setup(async (_req, res) => {
      calls++;
      if (calls === 2) {
        jsonError(res, 429, { error: { message: 'slow down', type: 'rate_limit_exceeded' } });
        return;
      }
      sseHeaders(res);
      res.write(recordingText());
      // The response ends a moment after [DONE], as real servers' do.
      await tick(5);
      res.end();
    }, 1);
    // One connection in the pool, so the count is deterministic (with more, the pool may open a
    // second socket before the first is handed back). A body cut short (e.g. breaking out of the
    // read loop at [DONE]) would make undici drop the socket and open another one.
    const t = target(server.origin);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await sendCompletion(transport, t, messages, {})).outcome);
    expect(outcomes).toEqual(['ok', 'rate_limited', 'ok']);
    // Bodies were consumed, so the same socket served all three.
    expect(server.connections()).toBe(1);
  });

  it('reports 401 as fatal for the run, without ever leaking the key', async () => {
    const { server, transport } = await setup((req, res) => {
      // A hostile server that echoes the key back in the error text.
      const echoed = req.headers.authorization?.slice('Bearer '.length);
      jsonError(res, 401, {
        error: { message: `Incorrect API key provided: ${echoed}`, type: 'invalid_api_key' },
      });
    });
    const result = await sendCompletion(transport, target(server.origin), messages, {});
    expect(result.outcome).toBe('http_4xx');
    expect(result.status).toBe(401);
    expect(result.error?.type).toBe('invalid_api_key');
    expect(result.error?.message).toContain('Incorrect API key provided');
    const fatal = isFatalForRun(result);
    expect(fatal.fatal).toBe(true);
    if (fatal.fatal) {
      expect(fatal.message).toContain('region-bound');
      expect(fatal.message).not.toContain(API_KEY);
    }
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('keeps retry-after and x-ratelimit-* headers on a 429', async () => {
    const { server, transport } = await setup((_req, res) => {
      jsonError(
        res,
        429,
        { error: { message: 'rate limit exceeded', type: 'rate_limit_exceeded' } },
        { 'retry-after': '2', 'x-ratelimit-reset-requests': '1s', 'x-trace-id': 'tr-429' },
      );
    });
    const result = await sendCompletion(transport, target(server.origin), messages, {});
    expect(result.outcome).toBe('rate_limited');
    expect(result.headers).toEqual({ 'retry-after': '2', 'x-ratelimit-reset-requests': '1s' });
    expect(result.traceId).toBe('tr-429');
    expect(result.error).toEqual({ message: 'HTTP 429: rate limit exceeded', type: 'rate_limit_exceeded' });
    expect(isFatalForRun(result)).toEqual({ fatal: false });
  });

  it('classifies 500 (plain text body), 451 and 402', async () => {
    const { server, transport } = await setup((req, res) => {
      const status = Number(JSON.parse(req.body).max_tokens);
      if (status === 500) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('upstream exploded');
      } else if (status === 451) {
        jsonError(res, 451, { error: { message: 'content moderation', type: 'content_filter' } });
      } else {
        jsonError(res, 402, {
          error: { message: 'You exceeded your current quota', type: 'quota_exceeded' },
        });
      }
    });
    const t = target(server.origin);
    const e500 = await sendCompletion(transport, t, messages, { max_tokens: 500 });
    expect(e500.outcome).toBe('http_5xx');
    expect(e500.error?.message).toBe('HTTP 500: upstream exploded');
    expect((await sendCompletion(transport, t, messages, { max_tokens: 451 })).outcome).toBe(
      'content_filter',
    );
    const e402 = await sendCompletion(transport, t, messages, { max_tokens: 402 });
    expect(e402.outcome).toBe('http_4xx');
    expect(isFatalForRun(e402).fatal).toBe(true);
  });

  // Decision: a connection that dies mid-stream is `network` (the transport failed; we know it),
  // keeping the partial text. `truncated` is for a server that ended the response cleanly
  // without [DONE] or a finish_reason. Both are retryable; the distinction helps diagnosis.
  it('reports a connection reset mid-stream as network, keeping the partial text', async () => {
    const { server, transport } = await setup(async (_req, res) => {
      sseHeaders(res);
      const events = recordingText({ omitFinal: true, omitDone: true });
      res.write(events);
      await tick(20);
      res.socket?.destroy();
    });
    const result = await sendCompletion(transport, target(server.origin), messages, {});
    expect(result.outcome).toBe('network');
    expect(result.error?.message).toContain('broke off');
    expect(result.text).toBe(RECORDING_CONTENT.join(''));
    expect(result.usage.source).toBe('server');
    expect(result.times.firstTokenAt).toBeDefined();
  });

  it('reports a clean end without [DONE] or finish_reason as truncated', async () => {
    const { server, transport } = await setup((_req, res) => {
      sseHeaders(res);
      res.end(recordingText({ omitFinal: true, omitDone: true }));
    });
    const result = await sendCompletion(transport, target(server.origin), messages, {});
    expect(result.outcome).toBe('truncated');
    expect(result.text).toBe(RECORDING_CONTENT.join(''));
  });

  it('reports an abort with a first-token timeout reason as timeout_first_token', async () => {
    const { server, transport } = await setup(() => {
      // Never answers: the client's own timer must end the attempt.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort({ kind: 'timeout', phase: 'first_token' }), 30);
    const result = await sendCompletion(
      transport,
      target(server.origin),
      messages,
      {},
      { signal: controller.signal },
    );
    expect(result.outcome).toBe('timeout_first_token');
    expect(result.times.headersAt).toBeUndefined();
    expect(result.error?.message).toContain('timed out');
  });

  it('reports an idle timeout mid-stream with the partial text, and any other abort as interrupted', async () => {
    const { server, transport } = await setup(async (_req, res) => {
      sseHeaders(res);
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '半' } }] })}\n\n`);
      // then stalls
    });
    const idle = new AbortController();
    // Abort right after the first body read was stamped (clock calls: sentAt, headersAt, read 1),
    // so the partial text is there however slow the machine is.
    let clockCalls = 0;
    const now = () => {
      if (++clockCalls === 3) setTimeout(() => idle.abort({ kind: 'timeout', phase: 'idle' }), 0);
      return performance.now();
    };
    const stalled = sendCompletion(
      transport,
      target(server.origin),
      messages,
      {},
      { signal: idle.signal, now },
    );
    const result = await stalled;
    expect(result.outcome).toBe('timeout_idle');
    expect(result.text).toBe('半');
    expect(result.times.headersAt).toBeDefined();

    const user = new AbortController();
    const interrupted = sendCompletion(
      transport,
      target(server.origin),
      messages,
      {},
      { signal: user.signal },
    );
    await tick(50);
    user.abort();
    expect((await interrupted).outcome).toBe('interrupted');
  });

  it('decodes a non-stream JSON reply; TTFT equals e2e without streaming', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-trace-id': 'tr-json' });
      res.end(
        JSON.stringify({
          id: '018ec23da38c7e2c',
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: '晴天', reasoning: '想' },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
        }),
      );
    });
    const result = await sendCompletion(transport, target(server.origin, { stream: false }), messages, {});
    expect(result.outcome).toBe('ok');
    expect(result.text).toBe('晴天');
    expect(result.reasoning).toBe('想');
    expect(result.traceId).toBe('tr-json');
    expect(result.responseId).toBe('018ec23da38c7e2c');
    expect(result.times.firstTokenAt).toBe(result.times.endAt);
    expect(result.times.firstAnswerAt).toBe(result.times.endAt);
    expect(JSON.parse(server.requests[0]!.body).stream).toBe(false);
    expect(server.requests[0]?.headers.accept).toBe('application/json');
  });

  it('reads a JSON reply to a streaming request, and a JSON error served as event-stream', async () => {
    let calls = 0;
    const { server, transport } = await setup((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content: 'whole' }, finish_reason: 'stop' }] }));
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('{"error":{"message":"model overloaded","type":"server_overloaded"}}');
      }
    });
    const t = target(server.origin);
    const json = await sendCompletion(transport, t, messages, {});
    expect(json.outcome).toBe('ok');
    expect(json.text).toBe('whole');
    const sseError = await sendCompletion(transport, t, messages, {});
    expect(sseError.outcome).toBe('stream_error');
    expect(sseError.error).toEqual({ message: 'model overloaded', type: 'server_overloaded' });
  });

  it('estimates usage when the server sends none', async () => {
    const { server, transport } = await setup((_req, res) => {
      sseHeaders(res);
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: '你好世界' } }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const result = await sendCompletion(transport, target(server.origin), messages, {});
    expect(result.outcome).toBe('ok');
    expect(result.usage.source).toBe('estimated');
    expect(result.usage.completionTokens).toBe(4);
    expect(result.usage.promptTokens).toBeGreaterThan(10);
  });

  it('reports a refused connection as network, naming the origin', async () => {
    const { server, transport } = await setup(() => {});
    const origin = server.origin;
    await server.close();
    const result = await sendCompletion(transport, target(origin), messages, {});
    expect(result.outcome).toBe('network');
    expect(result.error?.message).toContain(origin);
    expect(result.error?.message).toContain('ECONNREFUSED');
    expect(result.usage.source).toBe('estimated');
    expect(result.text).toBe('');
  });

  it('uses the injected clock for every timestamp', async () => {
    const { server, transport } = await setup((_req, res) => {
      sseHeaders(res);
      res.end(recordingText());
    });
    let clock = 1000;
    const result = await sendCompletion(
      transport,
      target(server.origin),
      messages,
      {},
      { now: () => clock++ },
    );
    // 1000 is taken when the request is handed to undici; the clock starts at 1001, when its
    // headers are written to the socket (wire-clock.ts), and the headers arrive after that: at the
    // socket read that carried them, carried over to this clock (wire-clock.ts: arrivalClock).
    const t = result.times;
    expect(t.sentAt).toBe(1001);
    expect(t.headersAt).toBeGreaterThanOrEqual(1001);
    expect(t.headersAt).toBeLessThanOrEqual(1002);
    expect(t.firstTokenAt).toBeGreaterThanOrEqual(t.headersAt as number);
    expect(t.endAt).toBeGreaterThanOrEqual(t.firstTokenAt as number);
    expect(t.endAt).toBeLessThan(clock);
  });
  it('never puts the API key in any result, whatever the server echoes', async () => {
    let calls = 0;
    const { server, transport } = await setup((req, res) => {
      calls++;
      const auth = req.headers.authorization ?? '';
      if (calls === 1) {
        sseHeaders(res);
        res.end(recordingText());
      } else if (calls === 2) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`proxy error for request with headers authorization: ${auth}`);
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: {"error":{"message":"bad key ${auth.slice(7)}","type":"${auth.slice(7)}"}}\n\n`);
      }
    });
    const t = target(server.origin);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await sendCompletion(transport, t, messages, {}));
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'http_5xx', 'stream_error']);
    expect(results[1]?.error?.message).toContain('proxy error');
    for (const result of results) expect(JSON.stringify(result)).not.toContain(API_KEY);
  });
});

describe('Transport', () => {
  it('rejects a non-positive connection count', () => {
    expect(() => new Transport({ connections: 0 })).toThrow(RangeError);
  });

  it('creates one pool per origin and refuses new pools after close', async () => {
    const t = new Transport({ connections: 2 });
    const a = t.pool('http://127.0.0.1:1');
    expect(t.pool('http://127.0.0.1:1')).toBe(a);
    expect(t.pool('http://127.0.0.1:2')).not.toBe(a);
    await t.close();
    expect(() => t.pool('http://127.0.0.1:1')).toThrow(/closed/);
  });
});
