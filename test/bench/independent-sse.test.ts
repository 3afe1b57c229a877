import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndependentServer, startIndependentServer } from '../../bench/lib/independent-process.mjs';

// The independent server (bench/servers/independent-sse.mjs) in its own process, as the
// cold-start bench runs it. Behaviour only: the wire shape and the truth record, no timing.
let server: IndependentServer;
beforeAll(async () => {
  server = await startIndependentServer({ ttftMs: 1, msPerToken: 0, tokens: 4 });
});
afterAll(async () => {
  await server?.stop();
});

interface Chunk {
  object: string;
  choices: { index: number; delta: { role?: string; content?: string }; finish_reason?: string | null }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** The `data:` payloads of an SSE body, in order (the server writes `data: …\n\n` events). */
function dataEvents(body: string): string[] {
  return body
    .split('\n\n')
    .filter((event) => event.trim() !== '')
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return event.slice('data: '.length);
    });
}

describe('independent SSE server', () => {
  it('prints a loopback URL and serves in another process', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(server.pid).not.toBe(process.pid);
  });

  it('streams StepFun-shaped chunks and records the request in /_truth', async () => {
    await server.truth({ reset: true });
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'step-3.7-flash',
        stream: true,
        messages: [{ role: 'user', content: '你好' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const traceId = res.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const events = dataEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
    // Role chunk, 4 content chunks, final chunk.
    expect(chunks).toHaveLength(6);
    for (const c of chunks) expect(c.object).toBe('chat.completion.chunk');

    const [role, ...rest] = chunks;
    expect(role?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const final = rest.at(-1)!;
    const content = rest.slice(0, -1);
    for (const c of content) {
      expect(typeof c.choices[0]?.delta.content).toBe('string');
      expect(c.choices[0]?.delta.content).not.toBe('');
      expect(c.choices[0]?.finish_reason ?? null).toBeNull();
    }
    expect(final.choices[0]?.finish_reason).toBe('stop');

    // Usage on every chunk, cumulative: 0 on the role chunk, +1 per content chunk, then held.
    expect(chunks.map((c) => c.usage.completion_tokens)).toEqual([0, 1, 2, 3, 4, 4]);
    for (const c of chunks) {
      expect(c.usage.total_tokens).toBe(c.usage.prompt_tokens + c.usage.completion_tokens);
      expect(c.usage.prompt_tokens).toBe(chunks[0]?.usage.prompt_tokens);
    }

    const truth = await server.truth({ reset: true });
    const record = truth.records.find((r) => r.traceId === traceId);
    expect(record).toBeDefined();
    expect(record?.status).toBe(200);
    expect(record?.stream).toBe(true);
    expect(record?.completionTokens).toBe(4);
    expect(record?.firstTokenAt).toBeGreaterThanOrEqual(record!.receivedAt);
    expect(record?.endAt).toBeGreaterThanOrEqual(record!.firstTokenAt!);
    expect((await server.truth()).records).toHaveLength(0);
  });

  it('answers /v1/models and a non-stream request, and refuses a missing key', async () => {
    const auth = { authorization: 'Bearer test' };
    const models = await fetch(`${server.url}/models`, { headers: auth });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { object: string }).object).toBe('list');

    const plain = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'step-3.7-flash', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-trace-id')).toBeTruthy();
    const body = (await plain.json()) as { object: string; choices: { finish_reason: string }[] };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]?.finish_reason).toBe('stop');

    const noKey = await fetch(`${server.url}/models`);
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe('invalid_api_key');
  });
});
