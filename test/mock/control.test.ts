import { describe, expect, test } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { postChat, withMock } from '../helpers/mock.js';

const chat = { model: 'step-3.7-flash', messages: [{ role: 'user', content: 'hi' }] };
const fast = { ttftMs: 0, interTokenMs: 0, replyTokens: 2 };

const controlUrl = (mock: MockServer, route: string) => mock.url.replace(/\/v1$/, `/_mock/${route}`);

async function postLimits(mock: MockServer, body: string, method = 'POST') {
  const response = await fetch(controlUrl(mock, 'limits'), {
    method,
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as unknown };
}

async function getJson(mock: MockServer, route: string): Promise<unknown> {
  return (await fetch(controlUrl(mock, route))).json();
}

async function statuses(mock: MockServer, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await postChat(mock, { body: chat })).status);
  return out;
}

describe('/_mock/limits', () => {
  test('GET says what is in force; POST changes it at once; stats carry it', async () => {
    await withMock(fast, async (mock) => {
      expect(await getJson(mock, 'limits')).toEqual({
        shape: 'sliding',
        concurrency: null,
        rpm: null,
        tpm: null,
        rpmBurst: null,
        tpmBurst: null,
      });
      expect(await statuses(mock, 3)).toEqual([200, 200, 200]);
      // The three requests already in the window count against the new limit: no fresh burst.
      const changed = await postLimits(mock, JSON.stringify({ rpm: 4, concurrency: 8 }));
      expect(changed).toMatchObject({ status: 200, json: { rpm: 4, concurrency: 8, tpm: null } });
      expect(await statuses(mock, 2)).toEqual([200, 429]);
      const stats = (await getJson(mock, 'stats')) as Record<string, unknown>;
      expect(stats.limits).toEqual(changed.json);
      expect(stats.rateLimited).toEqual({ concurrency: 0, rpm: 1, tpm: 0 });
      // Control calls are not load: only the chat requests were counted.
      expect(stats.requests).toBe(5);
      await postLimits(mock, JSON.stringify({ rpm: null }));
      expect(await statuses(mock, 1)).toEqual([200]);
      expect(mock.stats.snapshot().limits).toMatchObject({ rpm: null, concurrency: 8 });
    });
  });

  test('a token bucket takes its burst from POST; the 429 says when a token is due', async () => {
    // 6 RPM refills one request per 10 s, so nothing refills during the test.
    await withMock(
      { ...fast, rpm: 6, rateLimitShape: 'token-bucket', retryAfter: 'seconds' },
      async (mock) => {
        expect(await getJson(mock, 'limits')).toMatchObject({ shape: 'token-bucket', rpm: 6, rpmBurst: 1 });
        const changed = await postLimits(mock, JSON.stringify({ rpmBurst: 3 }));
        expect(changed.json).toMatchObject({ rpmBurst: 3 });
        // The bucket started with 1 token and keeps it: a bigger capacity does not fill it.
        const first = await postChat(mock, { body: chat });
        const second = await postChat(mock, { body: chat });
        expect([first.status, second.status]).toEqual([200, 429]);
        const retryAfter = Number(second.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(10);
      },
    );
  });

  test('a schedule step at 0 s is in force from the start', async () => {
    await withMock({ ...fast, limitSchedule: '0s:2,1h:tpm=500' }, async (mock) => {
      expect(await getJson(mock, 'limits')).toMatchObject({ rpm: 2, tpm: null });
      expect(await statuses(mock, 3)).toEqual([200, 200, 429]);
    });
  });

  test.each([
    ['{"rpm":', 400, /must be JSON/],
    ['[1]', 400, /must be an object/],
    ['{"rps": 3}', 400, /unknown key "rps"/],
    ['{"rpm": 0}', 400, /rpm must be an integer >= 1 or null/],
    ['{"tpm": "9000"}', 400, /tpm must be an integer/],
    ['{"rpmBurst": 3}', 400, /rpmBurst applies only with rateLimitShape 'token-bucket'/],
  ])('POST %s is refused with %i and a message, changing nothing', async (body, status, message) => {
    await withMock({ ...fast, rpm: 5 }, async (mock) => {
      const refused = await postLimits(mock, body);
      expect(refused.status).toBe(status);
      expect((refused.json as { error: { message: string } }).error.message).toMatch(message);
      expect(await getJson(mock, 'limits')).toMatchObject({ rpm: 5 });
    });
  });

  test('other methods get 405 with Allow; unknown control routes 404', async () => {
    await withMock(fast, async (mock) => {
      const put = await postLimits(mock, '{}', 'PUT');
      expect(put.status).toBe(405);
      expect(put.headers.get('allow')).toBe('GET, POST');
      expect((await fetch(controlUrl(mock, 'nope'))).status).toBe(404);
    });
  });
});
