import { expect, test } from 'vitest';
import { postChat, withMock } from '../helpers/mock.js';

test('non-stream answers after TTFT plus the inter-token time, as application/json', async () => {
  await withMock({ ttftMs: 40, interTokenMs: 4, replyTokens: 11 }, async (mock) => {
    const r = await postChat(mock, {
      body: { model: 'step-3.5-flash', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(r.text);
    expect(body).toMatchObject({ object: 'chat.completion', model: 'step-3.5-flash' });
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.choices[0].message).toEqual({ role: 'assistant', content: expect.any(String) });
    expect(body.usage.completion_tokens).toBe(11);
    const record = mock.stats.records[0]!;
    // 40 ms TTFT + 10 gaps of 4 ms; Node timers can fire up to ~1 ms early, so allow a few ms.
    expect(record.headersAt - record.receivedAt).toBeGreaterThanOrEqual(75);
    expect(record.firstTokenAt).toBeUndefined();
    expect(record.stream).toBe(false);
  });
});
