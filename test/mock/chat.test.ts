import { describe, expect, test } from 'vitest';
import type { MockOptionsInput } from '../../src/mock/index.js';
import { postChat, readChatStream, sseDataPayloads, waitForRecords, withMock } from '../helpers/mock.js';

// biome-ignore lint/suspicious/noExplicitAny: tests poke into chunks of known shape.
type Loose = any;

const chat = { model: 'step-3.7-flash', messages: [{ role: 'user', content: '你好' }] };
const stream = { ...chat, stream: true };
const fast = { ttftMs: 0, interTokenMs: 0, replyTokens: 12 };

async function statusSequence(options: MockOptionsInput, n: number): Promise<number[]> {
  return withMock(options, async (mock) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await postChat(mock, { body: chat })).status);
    const faults = mock.stats.faults;
    expect(faults.error500).toBe(statuses.filter((s) => s === 500).length);
    expect(faults.error503).toBe(statuses.filter((s) => s === 503).length);
    return statuses;
  });
}

describe('500 / 503 by rate', () => {
  test('the same seed gives the same sequence; another seed another one', async () => {
    const rates = { ...fast, errorRate500: 0.3, errorRate503: 0.2 };
    const first = await statusSequence({ ...rates, seed: 42 }, 40);
    const again = await statusSequence({ ...rates, seed: 42 }, 40);
    const other = await statusSequence({ ...rates, seed: 43 }, 40);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  test('bodies are StepFun errors with server_error / server_overloaded', async () => {
    await withMock({ ...fast, errorRate500: 1 }, async (mock) => {
      const r = await postChat(mock, { body: stream });
      expect(r.status).toBe(500);
      expect(JSON.parse(r.text)).toEqual({ error: { message: expect.any(String), type: 'server_error' } });
    });
    await withMock({ ...fast, errorRate503: 1 }, async (mock) => {
      const r = await postChat(mock, { body: chat });
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text).error.type).toBe('server_overloaded');
      expect(mock.stats.records[0]!.fault).toBe('error503');
    });
  });
});

describe('stalls', () => {
  test('before headers: a client with a short timeout never sees headers', async () => {
    await withMock({ ...fast, stallRate: 1 }, async (mock) => {
      const error = await fetch(`${mock.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
        body: JSON.stringify(stream),
        signal: AbortSignal.timeout(200),
      }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('TimeoutError');
      await waitForRecords(mock, 1);
      const record = mock.stats.records[0]!;
      expect(record).toMatchObject({ status: 0, fault: 'stall', clientClosed: true });
      expect(mock.stats.faults.stall).toBe(1);
    });
  });

  test('mid-stream: the role chunk and a few tokens, then silence with the socket open', async () => {
    await withMock({ ...fast, stallRate: 1, stallPhase: 'mid-stream' }, async (mock) => {
      const r = await readChatStream(mock, stream, 300);
      expect(r.status).toBe(200);
      expect(r.ending).toBe('idle');
      expect(r.text).not.toContain('[DONE]');
      const chunks = sseDataPayloads(r.text) as Loose[];
      expect(chunks[0].choices[0].delta.role).toBe('assistant');
      const texts = chunks.slice(1);
      expect(texts.length).toBeGreaterThanOrEqual(1);
      expect(texts.length).toBeLessThanOrEqual(3);
      expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
      await waitForRecords(mock, 1);
      expect(mock.stats.records[0]).toMatchObject({ fault: 'stall', completionTokens: texts.length });
    });
  });

  test('a non-stream request with a mid-stream stall gets no response at all', async () => {
    await withMock({ ...fast, stallRate: 1, stallPhase: 'mid-stream' }, async (mock) => {
      const error = await fetch(`${mock.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k' },
        body: JSON.stringify(chat),
        signal: AbortSignal.timeout(200),
      }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('TimeoutError');
    });
  });
});

describe('broken streams', () => {
  test('mid-stream error: a few tokens, then data: {"error":…} and [DONE] (vLLM/OpenAI form)', async () => {
    await withMock({ ...fast, midStreamErrorRate: 1 }, async (mock) => {
      const r = await readChatStream(mock, stream);
      expect(r.status).toBe(200);
      expect(r.ending).toBe('end');
      const events = r.text.split('\n\n').filter((e) => e !== '');
      expect(events.at(-1)).toBe('data: [DONE]');
      const error = JSON.parse(events.at(-2)!.slice('data: '.length));
      expect(error).toEqual({ error: { message: expect.any(String), type: 'server_error' } });
      const chunks = sseDataPayloads(r.text) as Loose[];
      const textChunks = chunks.filter((c) => c.choices?.[0]?.delta?.content);
      expect(textChunks.length).toBeGreaterThanOrEqual(1);
      expect(textChunks.length).toBeLessThanOrEqual(3);
      expect(chunks.some((c) => c.choices?.[0]?.finish_reason)).toBe(false);
      await waitForRecords(mock, 1);
      expect(mock.stats.records[0]).toMatchObject({ fault: 'midStreamError', status: 200 });
      expect(mock.stats.faults.midStreamError).toBe(1);
    });
  });

  test('mid-stream error on a non-stream request is a 500 when the reply was due', async () => {
    await withMock({ ...fast, midStreamErrorRate: 1 }, async (mock) => {
      const r = await postChat(mock, { body: chat });
      expect(r.status).toBe(500);
      expect(JSON.parse(r.text).error.type).toBe('server_error');
    });
  });

  test('abrupt close: a few tokens, then the connection breaks without finish_reason or [DONE]', async () => {
    await withMock({ ...fast, abruptCloseRate: 1, quirks: { splitWrites: true } }, async (mock) => {
      const r = await readChatStream(mock, stream);
      expect(r.status).toBe(200);
      expect(r.ending).toBe('error');
      expect(r.text).not.toContain('[DONE]');
      const chunks = sseDataPayloads(r.text) as Loose[];
      // Every piece written before the close arrived: the role chunk plus 1–3 text chunks.
      expect(chunks.length).toBeGreaterThanOrEqual(2);
      expect(chunks.length).toBeLessThanOrEqual(4);
      expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
      await waitForRecords(mock, 1);
      const record = mock.stats.records[0]!;
      expect(record.fault).toBe('abruptClose');
      expect(record.clientClosed).toBeUndefined();
      expect(record.completionTokens).toBe(chunks.length - 1);
      expect(mock.stats.faults.abruptClose).toBe(1);
    });
  });

  test('abrupt close on a non-stream request drops the connection before headers', async () => {
    await withMock({ ...fast, abruptCloseRate: 1 }, async (mock) => {
      await expect(postChat(mock, { body: chat })).rejects.toThrow();
    });
  });

  test('a fault never lands after the finish_reason, even on a one-chunk reply', async () => {
    await withMock(
      { ...fast, replyTokens: 1, midStreamErrorRate: 1, quirks: { finalChunkCarriesText: true } },
      async (mock) => {
        const r = await readChatStream(mock, stream);
        const chunks = sseDataPayloads(r.text) as Loose[];
        expect(chunks.some((c) => c.choices?.[0]?.finish_reason)).toBe(false);
        expect(chunks.at(-1).error.type).toBe('server_error');
      },
    );
  });
});
