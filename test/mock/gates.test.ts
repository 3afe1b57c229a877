import { describe, expect, test } from 'vitest';
import { postChat, withMock } from '../helpers/mock.js';

const chat = { model: 'step-3.7-flash', messages: [{ role: 'user', content: 'hi' }] };
const fast = { ttftMs: 0, interTokenMs: 0, replyTokens: 10 };
const errorOf = (text: string) => (JSON.parse(text) as { error: { message: string; type: string } }).error;

describe('rate limits → 429', () => {
  test('concurrency: N+k concurrent slow requests → exactly k 429s, counted by reason', async () => {
    await withMock(
      { ttftMs: 400, replyTokens: 2, maxConcurrency: 3, retryAfter: 'seconds' },
      async (mock) => {
        const results = await Promise.all(Array.from({ length: 5 }, () => postChat(mock, { body: chat })));
        const refused = results.filter((r) => r.status === 429);
        expect(results.filter((r) => r.status === 200)).toHaveLength(3);
        expect(refused).toHaveLength(2);
        for (const r of refused) {
          expect(r.headers.get('content-type')).toBe('application/json');
          expect(r.headers.get('retry-after')).toBe('1');
          const error = errorOf(r.text);
          expect(error.type).toBe('rate_limit_exceeded');
          expect(error.message).toMatch(/concurrency/);
          expect(Object.keys(error).sort()).toEqual(['message', 'type']);
        }
        const stats = mock.stats.snapshot();
        expect(stats.rateLimited).toEqual({ concurrency: 2, rpm: 0, tpm: 0 });
        expect(stats.records.filter((r) => r.limitedBy === 'concurrency')).toHaveLength(2);
        expect(stats.records.filter((r) => r.status === 429 && r.limitedBy === undefined)).toHaveLength(0);
        // The slots came back: a new request goes through.
        expect((await postChat(mock, { body: chat })).status).toBe(200);
      },
    );
  });

  test('RPM (real time): the (rpm+1)th request within a minute is refused with a ~60 s Retry-After', async () => {
    await withMock({ ...fast, rpm: 3, retryAfter: 'seconds' }, async (mock) => {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof postChat>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await postChat(mock, { body: chat });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(errorOf(last!.text).message).toMatch(/RPM/);
      const retryAfter = Number(last!.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(55);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(mock.stats.rateLimited.rpm).toBe(2);
    });
  });

  test('TPM: prompt + completion tokens of earlier requests fill the window', async () => {
    // Each request: 8 prompt tokens ("hi" + framing) and 10 completion tokens.
    await withMock({ ...fast, tpm: 40, retryAfter: 'ms' }, async (mock) => {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof postChat>> | undefined;
      for (let i = 0; i < 3; i++) {
        last = await postChat(mock, { body: chat });
        statuses.push(last.status);
      }
      // 0+8 ≤ 40, then 18+8 ≤ 40, then 36+8 > 40.
      expect(statuses).toEqual([200, 200, 429]);
      expect(mock.stats.records.map((r) => r.promptTokens + r.completionTokens)).toEqual([18, 18, 8]);
      expect(errorOf(last!.text).message).toMatch(/TPM/);
      const ms = Number(last!.headers.get('retry-after-ms'));
      expect(ms).toBeGreaterThan(50_000);
      expect(ms).toBeLessThanOrEqual(60_000);
      expect(mock.stats.rateLimited).toEqual({ concurrency: 0, rpm: 0, tpm: 1 });
    });
  });

  test('a tier preset limits; openai-style headers carry Go durations', async () => {
    await withMock({ ...fast, tier: 'V0', retryAfter: 'openai' }, async (mock) => {
      const results = [];
      for (let i = 0; i < 11; i++) results.push(await postChat(mock, { body: chat }));
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      const refused = results[10]!;
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('10');
      expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(refused.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$/);
      expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('5000000');
      expect(refused.headers.get('x-ratelimit-reset-tokens')).toBe('0s');
      expect(refused.headers.get('retry-after')).toBeNull();
    });
  });

  test("retryAfter 'none' (the default) sends no rate-limit headers", async () => {
    await withMock({ ...fast, rpm: 1 }, async (mock) => {
      await postChat(mock, { body: chat });
      const refused = await postChat(mock, { body: chat });
      expect(refused.status).toBe(429);
      const names = [...refused.headers.keys()];
      expect(names.filter((n) => n.startsWith('retry-after') || n.startsWith('x-ratelimit'))).toEqual([]);
    });
  });

  test("retryAfter 'http-date' sends a date Date.parse reads, in the future", async () => {
    await withMock({ ...fast, rpm: 1, retryAfter: 'http-date' }, async (mock) => {
      await postChat(mock, { body: chat });
      const refused = await postChat(mock, { body: chat });
      const at = Date.parse(refused.headers.get('retry-after')!);
      expect(at - Date.now()).toBeGreaterThan(50_000);
      expect(at - Date.now()).toBeLessThanOrEqual(61_000);
    });
  });

  test('invalid requests are refused before admission and count toward nothing', async () => {
    await withMock({ ...fast, rpm: 1 }, async (mock) => {
      expect((await postChat(mock, { body: { ...chat, model: 'nope' } })).status).toBe(400);
      expect((await postChat(mock, { body: chat })).status).toBe(200);
    });
  });
});

describe('402 balance and 451 moderation', () => {
  test('after N replies every request gets the StepFun 402 body', async () => {
    await withMock({ ...fast, balanceRequests: 2 }, async (mock) => {
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await postChat(mock, { body: chat }));
      expect(results.map((r) => r.status)).toEqual([200, 200, 402, 402]);
      expect(JSON.parse(results[3]!.text)).toEqual({
        error: {
          message: 'You exceeded your current quota, please check your plan and billing details',
          type: 'quota_exceeded',
        },
      });
      expect(mock.stats.faults.balance402).toBe(2);
      expect(mock.stats.records.map((r) => r.fault)).toEqual([
        undefined,
        undefined,
        'balance402',
        'balance402',
      ]);
    });
  });

  test('balanceRequests 0: the balance is gone from the start', async () => {
    await withMock({ ...fast, balanceRequests: 0 }, async (mock) => {
      expect((await postChat(mock, { body: chat })).status).toBe(402);
    });
  });

  test('a user message matching the pattern gets 451 content_filter; others pass', async () => {
    await withMock({ ...fast, moderationPattern: '炸弹|forbidden' }, async (mock) => {
      const flagged = await postChat(mock, {
        body: { ...chat, messages: [{ role: 'user', content: '教我做炸弹' }], stream: true },
      });
      expect(flagged.status).toBe(451);
      expect(errorOf(flagged.text).type).toBe('content_filter');
      const clean = await postChat(mock, {
        body: {
          ...chat,
          messages: [
            { role: 'system', content: 'forbidden' },
            { role: 'user', content: 'hi' },
          ],
        },
      });
      expect(clean.status).toBe(200);
      expect(mock.stats.faults.moderation451).toBe(1);
      expect(mock.stats.records[0]!.fault).toBe('moderation451');
    });
  });
});

describe('GET /_mock/stats', () => {
  test('exposes rateLimited and faults counts and per-record marks', async () => {
    await withMock({ ...fast, rpm: 1, errorRate500: 1 }, async (mock) => {
      await postChat(mock, { body: chat });
      await postChat(mock, { body: chat });
      const stats = (await (await fetch(mock.url.replace('/v1', '/_mock/stats'))).json()) as {
        rateLimited: Record<string, number>;
        faults: Record<string, number>;
        records: { status: number; fault?: string; limitedBy?: string }[];
      };
      expect(stats.rateLimited.rpm).toBe(1);
      expect(stats.faults.error500).toBe(1);
      expect(stats.records.map((r) => [r.status, r.fault, r.limitedBy])).toEqual([
        [500, 'error500', undefined],
        [429, undefined, 'rpm'],
      ]);
    });
  });
});
