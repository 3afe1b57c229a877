import { describe, expect, test } from 'vitest';
import { postChat, readChatStream, sseDataPayloads, waitForRecords, withMock } from '../helpers/mock.js';

// biome-ignore lint/suspicious/noExplicitAny: tests poke into chunks of known shape.
type Loose = any;

const chat = { model: 'step-3.7-flash', messages: [{ role: 'user', content: 'hi' }] };

describe('maxRequestMs: the server-side time cap', () => {
  test('a reply not started by the cap is a 503', async () => {
    // The reply would take a minute: a 503 at all means the cap, not the reply, ended it.
    await withMock({ ttftMs: 60_000, maxRequestMs: 100 }, async (mock) => {
      const r = await postChat(mock, { body: chat });
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text).error).toEqual({
        message: expect.stringMatching(/100 ms/),
        type: 'server_overloaded',
      });
      await waitForRecords(mock, 1);
      expect(mock.stats.records[0]).toMatchObject({ status: 503, capped: 'cap503', completionTokens: 0 });
      expect(mock.stats.faults.cap503).toBe(1);
    });
  });

  test('a stream still running at the cap ends cleanly without finish_reason or [DONE]', async () => {
    await withMock({ ttftMs: 0, interTokenMs: 40, replyTokens: 50, maxRequestMs: 150 }, async (mock) => {
      const r = await readChatStream(mock, { ...chat, stream: true });
      expect(r.status).toBe(200);
      expect(r.ending).toBe('end');
      expect(r.text).not.toContain('[DONE]');
      const chunks = sseDataPayloads(r.text) as Loose[];
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.length).toBeLessThan(51);
      expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
      await waitForRecords(mock, 1);
      const record = mock.stats.records[0]!;
      expect(record).toMatchObject({ status: 200, capped: 'capCut' });
      expect(record.clientClosed).toBeUndefined();
      expect(record.completionTokens).toBe(chunks.length - 1);
      expect(mock.stats.faults.capCut).toBe(1);
    });
  });

  test('a stall before headers is ended by the cap with a 503; both are counted', async () => {
    await withMock({ stallRate: 1, maxRequestMs: 100 }, async (mock) => {
      const r = await postChat(mock, { body: chat });
      expect(r.status).toBe(503);
      await waitForRecords(mock, 1);
      expect(mock.stats.records[0]).toMatchObject({ fault: 'stall', capped: 'cap503' });
      expect(mock.stats.faults).toMatchObject({ stall: 1, cap503: 1, capCut: 0 });
    });
  });

  test('a mid-stream stall is cut by the cap', async () => {
    await withMock(
      { ttftMs: 0, interTokenMs: 0, stallRate: 1, stallPhase: 'mid-stream', maxRequestMs: 100 },
      async (mock) => {
        const r = await readChatStream(mock, { ...chat, stream: true });
        expect(r.ending).toBe('end');
        expect(r.text).not.toContain('[DONE]');
        await waitForRecords(mock, 1);
        expect(mock.stats.records[0]).toMatchObject({ fault: 'stall', capped: 'capCut' });
      },
    );
  });

  test('a request that finishes in time is untouched by the cap', async () => {
    // A generous cap, so even a loaded machine finishes the tiny reply well inside it; then wait
    // past the cap (a late timer only makes the wait longer) to see that nothing fires after it.
    await withMock({ ttftMs: 0, interTokenMs: 0, maxRequestMs: 1_000 }, async (mock) => {
      const started = performance.now();
      const r = await readChatStream(mock, { ...chat, stream: true });
      expect(r.text).toContain('[DONE]');
      await waitForRecords(mock, 1);
      while (performance.now() - started < 1_200) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(mock.stats.faults.capCut + mock.stats.faults.cap503).toBe(0);
      expect(mock.stats.records[0]!.capped).toBeUndefined();
    });
  });
});
