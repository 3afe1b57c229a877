import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCompletion } from '../../src/client/send.js';
import { Transport } from '../../src/client/transport.js';
import { arrivalClock } from '../../src/client/wire-clock.js';
import type { MockServer } from '../../src/mock/index.js';
import type { Target } from '../../src/plan/types.js';
import { startTestMock } from '../helpers/mock.js';
import { startLoopbackServer } from './loopback-server.js';

/**
 * The clock starts on the wire (DESIGN §3): `sentAt` is when the headers were written, after any
 * connection set-up, which is reported apart as `connect` by the attempt that opened it.
 */
describe('wire timestamps', () => {
  let mock: MockServer;
  const target = (): Target => ({
    name: 't',
    baseUrl: mock.url,
    model: 'step-3.7-flash',
    apiKey: 'k',
    apiKeyEnv: 'K',
    headers: {},
    params: {},
    stream: true,
    streamUsage: false,
  });
  const messages = [{ role: 'user' as const, content: 'hello' }];
  beforeAll(async () => {
    mock = await startTestMock({ ttftMs: 5, interTokenMs: 1, replyTokens: 4 });
  });
  afterAll(() => mock.close());

  it('the attempt that opens a connection reports connect, and sentAt follows it', async () => {
    const transport = new Transport({ connections: 1 });
    try {
      const before = performance.now();
      const first = await sendCompletion(transport, target(), messages, {});
      expect(first.outcome).toBe('ok');
      const t = first.times;
      expect(t.connectStart).toBeGreaterThanOrEqual(before);
      expect(t.connectEnd).toBeGreaterThanOrEqual(t.connectStart as number);
      expect(t.sentAt).toBeGreaterThanOrEqual(t.connectEnd as number);
      expect(t.headersAt).toBeGreaterThanOrEqual(t.sentAt);

      const second = await sendCompletion(transport, target(), messages, {});
      expect(second.outcome).toBe('ok');
      expect(second.times.connectStart).toBeUndefined();
      expect(second.times.connectEnd).toBeUndefined();
    } finally {
      await transport.close();
    }
  });

  it('a request that waits for the one busy connection starts its clock when it is written', async () => {
    const transport = new Transport({ connections: 1 });
    try {
      const [a, b] = await Promise.all([
        sendCompletion(transport, target(), messages, {}),
        sendCompletion(transport, target(), messages, {}),
      ]);
      const [early, late] = a.times.sentAt <= b.times.sentAt ? [a, b] : [b, a];
      // One connection, no pipelining: the second request goes out once the first has ended.
      expect(late.times.sentAt).toBeGreaterThanOrEqual(early.times.endAt);
      expect(late.times.connectStart).toBeUndefined();
    } finally {
      await transport.close();
    }
  });

  it('a refused connection still gives a result (its clock from the request, nothing written)', async () => {
    const transport = new Transport({ connections: 1 });
    try {
      const closed: Target = { ...target(), baseUrl: 'http://127.0.0.1:9/v1' };
      const r = await sendCompletion(transport, closed, messages, {});
      expect(r.outcome).toBe('network');
      expect(r.times.connectStart).toBeUndefined();
      expect(r.times.endAt).toBeGreaterThanOrEqual(r.times.sentAt);
    } finally {
      await transport.close();
    }
  });
});

describe('chunk arrival times', () => {
  it('stamps the headers and the first token of one read with the same moment, the read', async () => {
    // Headers, the first token and (later) the rest: the way production servers write a stream.
    const server = await startLoopbackServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'a' } }] })}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.end(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'b' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
      );
    });
    const transport = new Transport({ connections: 1 });
    try {
      const target: Target = {
        name: 't',
        baseUrl: `${server.origin}/v1`,
        model: 'm',
        apiKey: 'k',
        apiKeyEnv: 'K',
        headers: {},
        params: {},
        stream: true,
        streamUsage: false,
      };
      const result = await sendCompletion(transport, target, [{ role: 'user', content: 'hi' }], {});
      expect(result.outcome).toBe('ok');
      expect(result.text).toBe('ab');
      const t = result.times;
      // Taken apart from the read, the first token would be stamped after the promise that gave
      // the headers had resolved and the body stream had started flowing: a later moment.
      expect(t.firstTokenAt).toBe(t.headersAt);
      expect(t.headersAt).toBeGreaterThanOrEqual(t.sentAt);
      expect(result.tokenTimes[1]).toBeGreaterThan(result.tokenTimes[0] as number);
      expect(t.endAt).toBeGreaterThanOrEqual(result.tokenTimes[1] as number);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('carries reads over to an injected clock by one offset, and never before the request was written', () => {
    const reads = { at: performance.now() - 10_000 };
    let clock = 50_000;
    const arrived = arrivalClock({ reads, sentAt: 0 }, () => clock);
    // The read was 10 s before the first call: on the injected clock, about 10 s before 50,000.
    const first = arrived();
    expect(first).toBeLessThanOrEqual(40_000);
    expect(first).toBeGreaterThan(30_000);
    // Later calls for the same read give the same time, however far the clock has moved.
    clock = 50_500;
    expect(arrived()).toBe(first);
    // A newer read moves it by exactly the distance between the reads.
    reads.at += 100;
    expect(arrived()).toBeCloseTo(first + 100, 6);

    const guarded = arrivalClock({ reads: { at: performance.now() - 10_000 }, sentAt: 45_000 }, () => 50_000);
    expect(guarded()).toBe(50_000);
    expect(arrivalClock({}, () => 7)()).toBe(7);
  });
});
