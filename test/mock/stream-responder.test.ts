import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { postChat, sseDataPayloads, startTestMock } from '../helpers/mock.js';

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: { index: number; delta: Record<string, string>; finish_reason?: string | null }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  agent?: string;
}

const messages = [{ role: 'user', content: '用三句话介绍一下延迟测试' }];
const model = 'step-3.5-flash';

async function stream(mock: MockServer, extra: Record<string, unknown> = {}) {
  const response = await postChat(mock, { body: { model, messages, stream: true, ...extra } });
  expect(response.status).toBe(200);
  return { ...response, chunks: sseDataPayloads(response.text) as Chunk[] };
}

const joinDeltas = (chunks: Chunk[], key: string) =>
  chunks.map((c) => c.choices[0]?.delta[key] ?? '').join('');

describe('stream shape (StepFun dialect)', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock({ ttftMs: 1, interTokenMs: 0, replyTokens: 12, reasoningTokens: 5 });
  });
  afterAll(() => mock.close());

  test('headers: event-stream and a trace id', async () => {
    const { headers } = await stream(mock);
    expect(headers.get('content-type')).toBe('text/event-stream');
    expect(headers.get('x-trace-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('role chunk, then reasoning, then content, then the finish chunk and [DONE]', async () => {
    const { text, chunks } = await stream(mock);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const kinds = chunks.slice(1, -1).map((c) => ('reasoning' in c.choices[0]!.delta ? 'r' : 'c'));
    expect(kinds.join('')).toBe('rrrrrcccccccccccc');
    for (const c of chunks.slice(1, 6)) expect(c.choices[0]!.delta.content).toBe('');
    const last = chunks.at(-1)!;
    expect(last.choices[0]!.finish_reason).toBe('stop');
    expect(last.choices[0]!.delta).toEqual({ content: '' });
    for (const c of chunks) {
      expect(c.object).toBe('chat.completion.chunk');
      expect(c.model).toBe(model);
      expect(c.agent).toBe('');
      expect(c.id).toBe(chunks[0]!.id);
    }
    expect(chunks[0]!.id).toMatch(/^[0-9a-f]{32}$/);
  });

  test('usage is cumulative on every chunk and ends equal to the non-stream count', async () => {
    const { chunks } = await stream(mock);
    const completions = chunks.map((c) => c.usage!.completion_tokens);
    expect(completions[0]).toBe(0);
    for (let i = 1; i < completions.length; i++)
      expect(completions[i]).toBeGreaterThanOrEqual(completions[i - 1]!);
    for (const c of chunks)
      expect(c.usage!.total_tokens).toBe(c.usage!.prompt_tokens + c.usage!.completion_tokens);

    const plain = await postChat(mock, { body: { model, messages } });
    const json = JSON.parse(plain.text);
    expect(chunks.at(-1)!.usage).toEqual(json.usage);
    expect(json.usage.completion_tokens).toBe(17);
    expect(joinDeltas(chunks, 'content')).toBe(json.choices[0].message.content);
    expect(joinDeltas(chunks, 'reasoning')).toBe(json.choices[0].message.reasoning);
  });

  test('deepseek-style renames reasoning to reasoning_content', async () => {
    const { chunks } = await stream(mock, { reasoning_format: 'deepseek-style' });
    expect(chunks[1]!.choices[0]!.delta).toHaveProperty('reasoning_content');
    expect(chunks.some((c) => 'reasoning' in c.choices[0]!.delta)).toBe(false);
    const plain = JSON.parse(
      (await postChat(mock, { body: { model, messages, reasoning_format: 'deepseek-style' } })).text,
    );
    expect(plain.choices[0].message).toHaveProperty('reasoning_content');
    expect(plain.choices[0].message).not.toHaveProperty('reasoning');
  });

  test('max_tokens inside the answer cuts the answer and says length', async () => {
    const { chunks } = await stream(mock, { max_tokens: 8 });
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
    expect(chunks.at(-1)!.usage!.completion_tokens).toBe(8);
    const full = await stream(mock);
    // The cut reply is a prefix of the full one: max_tokens never changes the words.
    expect(joinDeltas(full.chunks, 'content').startsWith(joinDeltas(chunks, 'content'))).toBe(true);
  });

  test('max_tokens inside the reasoning leaves the content empty', async () => {
    const { chunks } = await stream(mock, { max_tokens: 3 });
    expect(joinDeltas(chunks, 'content')).toBe('');
    expect(joinDeltas(chunks, 'reasoning').length).toBeGreaterThan(0);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
    const plain = JSON.parse((await postChat(mock, { body: { model, messages, max_tokens: 3 } })).text);
    expect(plain.choices[0].message.content).toBe('');
    expect(plain.choices[0].finish_reason).toBe('length');
    expect(plain.usage.completion_tokens).toBe(3);
  });

  test('unknown body fields and stream_options are accepted', async () => {
    const { chunks } = await stream(mock, { stream_options: { include_usage: true }, foo: { bar: 1 }, n: 1 });
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    // Cumulative mode ignores include_usage: no choices:[] chunk.
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });
});

describe('determinism', () => {
  test('same seed and prompt give the same text; another seed or prompt gives another', async () => {
    const a = await startTestMock({ seed: 7, ttftMs: 0, interTokenMs: 0 });
    const b = await startTestMock({ seed: 8, ttftMs: 0, interTokenMs: 0 });
    try {
      const textOf = async (mock: MockServer, content = 'hello') =>
        joinDeltas((await stream(mock, { messages: [{ role: 'user', content }] })).chunks, 'content');
      const first = await textOf(a);
      expect(await textOf(a)).toBe(first);
      expect(await textOf(b)).not.toBe(first);
      expect(await textOf(a, 'hello!')).not.toBe(first);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('chunking and finish styles', () => {
  test('tokensPerChunk groups tokens; usage steps by the group size', async () => {
    const mock = await startTestMock({ ttftMs: 0, interTokenMs: 0, replyTokens: 10, tokensPerChunk: 4 });
    try {
      const { chunks } = await stream(mock);
      const steps = chunks.map((c) => c.usage!.completion_tokens);
      expect(steps).toEqual([0, 4, 8, 10, 10]);
    } finally {
      await mock.close();
    }
  });

  test.each([
    ['absent', (c: Chunk) => !('finish_reason' in c.choices[0]!)],
    ['empty', (c: Chunk) => c.choices[0]!.finish_reason === ''],
    ['null', (c: Chunk) => c.choices[0]!.finish_reason === null],
  ] as const)('finishReasonStyle %s spells non-final chunks that way', async (style, isSpelledRight) => {
    const mock = await startTestMock({ ttftMs: 0, interTokenMs: 0, quirks: { finishReasonStyle: style } });
    try {
      const { chunks } = await stream(mock);
      for (const c of chunks.slice(0, -1)) expect(isSpelledRight(c)).toBe(true);
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    } finally {
      await mock.close();
    }
  });

  test('finalChunkCarriesText puts the last text in the finish chunk', async () => {
    const mock = await startTestMock({
      ttftMs: 0,
      interTokenMs: 0,
      replyTokens: 5,
      quirks: { finalChunkCarriesText: true },
    });
    try {
      const { chunks } = await stream(mock);
      expect(chunks).toHaveLength(6);
      const last = chunks.at(-1)!;
      expect(last.choices[0]!.finish_reason).toBe('stop');
      expect(last.choices[0]!.delta.content!.length).toBeGreaterThan(0);
      expect(last.usage!.completion_tokens).toBe(5);
    } finally {
      await mock.close();
    }
  });

  test('openai usage mode: usage null on chunks, one choices:[] chunk only with include_usage', async () => {
    const mock = await startTestMock({
      ttftMs: 0,
      interTokenMs: 0,
      replyTokens: 6,
      quirks: { usage: 'openai' },
    });
    try {
      const without = await stream(mock);
      expect(without.chunks.every((c) => c.usage === null && c.choices.length === 1)).toBe(true);
      const withUsage = await stream(mock, { stream_options: { include_usage: true } });
      const last = withUsage.chunks.at(-1)!;
      expect(last.choices).toEqual([]);
      expect(last.usage!.completion_tokens).toBe(6);
      expect(withUsage.chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
      expect(withUsage.text.endsWith('data: [DONE]\n\n')).toBe(true);
    } finally {
      await mock.close();
    }
  });

  test('a reply with no tokens still ends with a finish chunk', async () => {
    const mock = await startTestMock({ ttftMs: 0, interTokenMs: 0, replyTokens: 0 });
    try {
      const { chunks } = await stream(mock);
      expect(chunks).toHaveLength(2);
      expect(chunks[1]!.choices[0]!.finish_reason).toBe('stop');
      expect(mock.stats.records[0]!.firstTokenAt).toBeUndefined();
    } finally {
      await mock.close();
    }
  });
});
