import OpenAI, { APIError, AuthenticationError, BadRequestError, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MockQuirks, MockServer } from '../../src/mock/index.js';
import { startTestMock, withMock } from '../helpers/mock.js';

// Fidelity check with a client nobody on this project wrote: the official openai SDK.
const apiKey = 'sk-mock-test';
const model = 'step-3.7-flash';
const messages = [{ role: 'user' as const, content: '请解释一下什么是首字延迟 (TTFT)。' }];
const timing = { ttftMs: 1, interTokenMs: 0, replyTokens: 40, reasoningTokens: 6 };

const sdk = (mock: MockServer, key = apiKey) => new OpenAI({ baseURL: mock.url, apiKey: key, maxRetries: 0 });

async function streamText(client: OpenAI) {
  const stream = await client.chat.completions.create({ model, messages, stream: true });
  let content = '';
  let reasoning = '';
  let finishReason: string | null | undefined;
  let chunks = 0;
  let lastUsage: unknown;
  for await (const chunk of stream) {
    chunks++;
    const choice = chunk.choices[0];
    content += choice?.delta.content ?? '';
    reasoning += (choice?.delta as { reasoning?: string } | undefined)?.reasoning ?? '';
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) lastUsage = chunk.usage;
  }
  return { content, reasoning, finishReason, chunks, lastUsage };
}

describe('openai SDK against the mock', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock({ ...timing, apiKey });
  });
  afterAll(() => mock.close());

  test('non-stream create returns content, reasoning, usage and finish_reason', async () => {
    const completion = await sdk(mock).chat.completions.create({ model, messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe(model);
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content!.length).toBeGreaterThan(0);
    expect((choice.message as unknown as { reasoning: string }).reasoning.length).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBe(46);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + 46);
  });

  test('streaming yields every chunk and reassembles the non-stream text', async () => {
    const plain = await sdk(mock).chat.completions.create({ model, messages });
    const streamed = await streamText(sdk(mock));
    expect(streamed.chunks).toBe(1 + 46 + 1);
    expect(streamed.content).toBe(plain.choices[0]!.message.content);
    expect(streamed.reasoning).toBe(
      (plain.choices[0]!.message as unknown as { reasoning: string }).reasoning,
    );
    expect(streamed.finishReason).toBe('stop');
    expect(streamed.lastUsage).toEqual(plain.usage);
  });

  test('a bad key throws AuthenticationError (401)', async () => {
    const error = await sdk(mock, 'sk-wrong')
      .chat.completions.create({ model, messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).type).toBe('invalid_api_key');
  });

  test('an unknown model throws BadRequestError', async () => {
    const error = await sdk(mock)
      .chat.completions.create({ model: 'step-unknown', messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain('step-unknown');
  });

  test('models.list works', async () => {
    const ids: string[] = [];
    for await (const m of sdk(mock).models.list()) ids.push(m.id);
    expect(ids).toContain(model);
    expect(ids).toHaveLength(4);
  });
});

describe('openai SDK through wire quirks', () => {
  let reference: string;
  beforeAll(async () => {
    reference = await withMock(timing, async (mock) => (await streamText(sdk(mock))).content);
  });

  test.each<[string, Partial<MockQuirks>]>([
    ['crlf', { crlf: true }],
    ['no space after data:', { noSpaceAfterData: true }],
    ['keep-alive comments', { keepAliveComments: true }],
    ['split writes', { splitWrites: true }],
    [
      'all of them, text in the finish chunk',
      {
        crlf: true,
        noSpaceAfterData: true,
        keepAliveComments: true,
        splitWrites: true,
        finalChunkCarriesText: true,
        finishReasonStyle: 'null',
      },
    ],
  ])('%s: the same text comes out', async (_name, quirks) => {
    await withMock({ ...timing, quirks }, async (mock) => {
      const streamed = await streamText(sdk(mock));
      expect(streamed.content).toBe(reference);
      expect(streamed.finishReason).toBe('stop');
    });
  });
});

describe('openai SDK against limits and faults', () => {
  test('a 429 throws RateLimitError carrying the StepFun type and message', async () => {
    await withMock({ ...timing, rpm: 1, retryAfter: 'seconds' }, async (mock) => {
      await sdk(mock).chat.completions.create({ model, messages });
      const error = await sdk(mock)
        .chat.completions.create({ model, messages })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).status).toBe(429);
      expect((error as RateLimitError).type).toBe('rate_limit_exceeded');
      expect((error as RateLimitError).message).toMatch(/RPM/);
      expect((error as RateLimitError).headers?.get('retry-after')).toMatch(/^\d+$/);
    });
  });

  test('a mid-stream error event throws a plain APIError with no status while iterating', async () => {
    await withMock({ ...timing, midStreamErrorRate: 1 }, async (mock) => {
      const error = await streamText(sdk(mock)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect(error).not.toBeInstanceOf(RateLimitError);
      expect((error as APIError).status).toBeUndefined();
      expect((error as APIError).type).toBe('server_error');
      expect((error as APIError).message).toMatch(/error while generating/);
    });
  });

  test('a 402 and a 451 throw APIError with the status and type', async () => {
    await withMock({ ...timing, balanceRequests: 0 }, async (mock) => {
      const error = await sdk(mock)
        .chat.completions.create({ model, messages })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(402);
      expect((error as APIError).type).toBe('quota_exceeded');
    });
    await withMock({ ...timing, moderationPattern: '延迟' }, async (mock) => {
      const error = await sdk(mock)
        .chat.completions.create({ model, messages })
        .catch((e: unknown) => e);
      expect((error as APIError).status).toBe(451);
      expect((error as APIError).type).toBe('content_filter');
    });
  });
});
