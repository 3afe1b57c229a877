import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { startMockServer } from '../../src/mock/index.js';
import { postChat, startTestMock, withMock } from '../helpers/mock.js';

const startTestMockOn = (port: number) => startMockServer({ host: '127.0.0.1', port });

// biome-ignore lint/suspicious/noExplicitAny: tests poke into response bodies of known shape.
type Loose = any;
const readJson = async (response: Response): Promise<Loose> => response.json();

const chat = { model: 'step-3.7-flash', messages: [{ role: 'user', content: 'hi' }] };

describe('errors and routes', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock({ apiKey: 'sk-right', ttftMs: 0, interTokenMs: 0 });
  });
  afterAll(() => mock.close());

  test('a wrong key gets the StepFun 401 body', async () => {
    const r = await postChat(mock, { body: chat, apiKey: 'sk-wrong' });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('x-trace-id')).toBeTruthy();
    expect(JSON.parse(r.text)).toEqual({
      error: { message: 'Incorrect API key provided', type: 'invalid_api_key' },
    });
  });

  test('a missing Authorization header is a 401 even without a configured key', async () => {
    await withMock({}, async (open) => {
      const r = await fetch(`${open.url}/chat/completions`, { method: 'POST', body: JSON.stringify(chat) });
      expect(r.status).toBe(401);
      const ok = await postChat(open, { body: chat, apiKey: 'anything' });
      expect(ok.status).toBe(200);
    });
  });

  test.each([
    [{ ...chat, model: 'step-9-huge' }, /step-9-huge/],
    [{ model: 'step-3.7-flash' }, /messages/],
    [{ ...chat, messages: [] }, /messages/],
    [{ ...chat, temperature: 2.5 }, /temperature/],
    [{ ...chat, top_p: 1.2 }, /top_p/],
    [{ ...chat, frequency_penalty: -0.5 }, /frequency_penalty/],
    [{ ...chat, max_tokens: 0 }, /max_tokens/],
  ])('400 request_params_invalid for %j', async (body, mentions) => {
    const r = await postChat(mock, { body, apiKey: 'sk-right' });
    expect(r.status).toBe(400);
    const error = JSON.parse(r.text).error;
    expect(error.type).toBe('request_params_invalid');
    expect(error.message).toMatch(mentions);
    expect(Object.keys(error).sort()).toEqual(['message', 'type']);
  });

  test('invalid JSON is a 400', async () => {
    const r = await fetch(`${mock.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-right' },
      body: '{"model":',
    });
    expect(r.status).toBe(400);
    expect((await readJson(r)).error.type).toBe('request_params_invalid');
  });

  test('unknown routes get a 404 with the StepFun error shape', async () => {
    const r = await fetch(`${mock.url}/nope`, { headers: { authorization: 'Bearer sk-right' } });
    expect(r.status).toBe(404);
    expect(r.headers.get('x-trace-id')).toBeTruthy();
    const body = await readJson(r);
    expect(typeof body.error.message).toBe('string');
    expect(typeof body.error.type).toBe('string');
  });

  test('models list and single model', async () => {
    const headers = { authorization: 'Bearer sk-right' };
    const list = await readJson(await fetch(`${mock.url}/models`, { headers }));
    expect(list.object).toBe('list');
    expect(list.data.map((m: { id: string }) => m.id)).toEqual([
      'step-3.7-flash',
      'step-3.5-flash',
      'step-3.5-flash-2603',
      'step-1o-turbo-vision',
    ]);
    expect(list.data[0]).toEqual({
      id: 'step-3.7-flash',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'stepai',
    });
    const one = await fetch(`${mock.url}/models/step-3.5-flash`, { headers });
    expect((await readJson(one)).id).toBe('step-3.5-flash');
    const missing = await fetch(`${mock.url}/models/step-0`, { headers });
    expect(missing.status).toBe(404);
    expect((await readJson(missing)).error.message).toContain('step-0');
  });

  test('token count and account routes', async () => {
    const headers = { authorization: 'Bearer sk-right' };
    const count = await fetch(`${mock.url}/token/count`, {
      method: 'POST',
      headers,
      body: JSON.stringify(chat),
    });
    expect((await readJson(count)).data.total_tokens).toBeGreaterThan(0);
    const account = await readJson(await fetch(`${mock.url}/accounts`, { headers }));
    expect(account.object).toBe('account');
  });

  test('every response has its own trace id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++)
      ids.add((await postChat(mock, { body: chat, apiKey: 'sk-right' })).headers.get('x-trace-id')!);
    expect(ids.size).toBe(5);
  });
});

test('a port already in use is a UserError that says what to do', async () => {
  await withMock({}, async (first) => {
    await expect(startTestMockOn(first.port)).rejects.toThrow(/already in use.*--port/);
  });
});

describe('ground truth', () => {
  test('counts requests by status and keeps one record per chat request', async () => {
    await withMock({ apiKey: 'k', ttftMs: 0, interTokenMs: 0, replyTokens: 4 }, async (mock) => {
      const ok = await postChat(mock, { body: chat, apiKey: 'k' });
      await postChat(mock, { body: { ...chat, stream: true }, apiKey: 'k' });
      await postChat(mock, { body: chat, apiKey: 'bad' });
      await fetch(`${mock.url}/models`, { headers: { authorization: 'Bearer k' } });
      const stats = mock.stats;
      // GET /v1/models is a metadata read, not load (clients warm connections with it): not counted.
      expect(stats.requests).toBe(3);
      expect(stats.byStatus).toEqual({ '200': 2, '401': 1 });
      expect(stats.inFlight).toBe(0);
      const records = stats.records;
      expect(records.map((r) => [r.status, r.stream, r.model])).toEqual([
        [200, false, 'step-3.7-flash'],
        [200, true, 'step-3.7-flash'],
        [401, false, ''],
      ]);
      expect(records[0]!.traceId).toBe(ok.headers.get('x-trace-id'));
      expect(records[0]!.completionTokens).toBe(4);
      expect(records[0]!.promptTokens).toBe(JSON.parse(ok.text).usage.prompt_tokens);
      for (const r of records) {
        expect(r.headersAt).toBeGreaterThanOrEqual(r.receivedAt);
        expect(r.endAt).toBeGreaterThanOrEqual(r.headersAt);
      }
    });
  });

  test('server TTFT is at least the ttftMs setting, and comes before the end', async () => {
    await withMock({ ttftMs: 60, interTokenMs: 2, replyTokens: 5 }, async (mock) => {
      for (let i = 0; i < 3; i++) await postChat(mock, { body: { ...chat, stream: true } });
      expect(mock.stats.records).toHaveLength(3);
      for (const r of mock.stats.records) {
        // A timer never fires early (1 ms of rounding aside); how late it fires depends on the
        // machine, so there is no upper bound here.
        expect(r.firstTokenAt! - r.receivedAt).toBeGreaterThanOrEqual(59);
        expect(r.firstTokenAt!).toBeGreaterThanOrEqual(r.headersAt);
        expect(r.endAt).toBeGreaterThanOrEqual(r.firstTokenAt!);
      }
    });
  });

  test('GET /_mock/stats serves the snapshot and ?reset=1 clears it', async () => {
    await withMock({ ttftMs: 0, interTokenMs: 0 }, async (mock) => {
      await postChat(mock, { body: chat });
      const base = mock.url.replace(/\/v1$/, '');
      const snapshot = await readJson(await fetch(`${base}/_mock/stats?reset=1`));
      expect(snapshot.requests).toBe(1);
      expect(snapshot.records).toHaveLength(1);
      expect(snapshot.records[0].status).toBe(200);
      const after = await readJson(await fetch(`${base}/_mock/stats`));
      expect(after.requests).toBe(0);
      expect(after.records).toEqual([]);
    });
  });

  test('records are bounded by maxRecords, newest kept', async () => {
    await withMock({ ttftMs: 0, interTokenMs: 0, maxRecords: 3 }, async (mock) => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await postChat(mock, { body: chat })).headers.get('x-trace-id')!);
      expect(mock.stats.records.map((r) => r.traceId)).toEqual(ids.slice(2));
      expect(mock.stats.requests).toBe(5);
    });
  });

  test('inFlight and maxInFlight follow concurrent streams; close() ends open streams', async () => {
    const mock = await startTestMock({ ttftMs: 10, interTokenMs: 50, replyTokens: 1000 });
    const streams = Array.from({ length: 5 }, () =>
      fetch(`${mock.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k' },
        body: JSON.stringify({ ...chat, stream: true }),
      }).then((r) => r.text().catch(() => 'cut')),
    );
    while (mock.stats.inFlight < 5) await new Promise((r) => setTimeout(r, 5));
    expect(mock.stats.maxInFlight).toBe(5);
    await mock.close();
    const bodies = await Promise.all(streams.map((p) => p.catch(() => 'cut')));
    for (const b of bodies) expect(b).not.toContain('[DONE]');
    expect(mock.stats.inFlight).toBe(0);
    expect(mock.stats.records.every((r) => r.clientClosed)).toBe(true);
  });

  test('a client that leaves mid-stream is recorded as clientClosed with what was sent', async () => {
    await withMock({ ttftMs: 0, interTokenMs: 20, replyTokens: 500 }, async (mock) => {
      const controller = new AbortController();
      const response = await fetch(`${mock.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k' },
        body: JSON.stringify({ ...chat, stream: true }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      while (mock.stats.records.length === 0) await new Promise((r) => setTimeout(r, 5));
      const record = mock.stats.records[0]!;
      expect(record.status).toBe(200);
      expect(record.clientClosed).toBe(true);
      expect(record.completionTokens).toBeLessThan(500);
      expect(mock.stats.inFlight).toBe(0);
    });
  });

  test('a client that leaves before any response is counted under status 0', async () => {
    const { connect } = await import('node:net');
    await withMock({}, async (mock) => {
      const socket = connect(mock.port, '127.0.0.1');
      socket.write(
        'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: 100\r\n\r\n{"mo',
      );
      while (mock.stats.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
      socket.destroy();
      while (mock.stats.records.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(mock.stats.byStatus).toEqual({ '0': 1 });
      expect(mock.stats.records[0]).toMatchObject({ status: 0, clientClosed: true, model: '' });
    });
  });

  test('sustains a thousand concurrent slow streams', async () => {
    const { Agent, request } = await import('undici');
    // A long TTFT keeps early streams open while the rest connect, so they really overlap (5 s:
    // a loaded machine can take seconds to open 1000 sockets).
    await withMock({ ttftMs: 5000, interTokenMs: 20, replyTokens: 20 }, async (mock) => {
      const agent = new Agent({ connections: 1000, pipelining: 0 });
      try {
        const one = async () => {
          const r = await request(`${mock.url}/chat/completions`, {
            method: 'POST',
            dispatcher: agent,
            headers: { authorization: 'Bearer k' },
            body: JSON.stringify({ ...chat, stream: true }),
          });
          return r.body.text();
        };
        const bodies = await Promise.all(Array.from({ length: 1000 }, one));
        expect(bodies.every((b) => b.endsWith('data: [DONE]\n\n'))).toBe(true);
        expect(mock.stats.byStatus).toEqual({ '200': 1000 });
        // Loose on purpose: how many overlap depends on how fast a busy machine opens 1000 sockets.
        expect(mock.stats.maxInFlight).toBeGreaterThan(200);
      } finally {
        await agent.close();
      }
    });
    // 20,000 chunks through one in-process event loop: seconds on a quiet machine, far more on a
    // loaded one. The limit only catches a hang; how fast it goes is not what this test checks.
  }, 180_000);
});
