import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCompletion } from '../../src/client/send.js';
import { Transport } from '../../src/client/transport.js';
import type { MockServer } from '../../src/mock/index.js';
import type { Target } from '../../src/plan/types.js';
import { startTestMock } from '../helpers/mock.js';

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
