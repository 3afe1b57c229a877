import { describe, expect, test } from 'vitest';
import { validateChatRequest } from '../../src/mock/validate.js';

const models = ['step-3.5-flash'];
const ok = { model: 'step-3.5-flash', messages: [{ role: 'user', content: 'x' }] };
const check = (body: unknown) => validateChatRequest(JSON.stringify(body), models);

describe('validateChatRequest', () => {
  test('a minimal request is accepted with defaults', () => {
    expect(check(ok)).toEqual({
      ok: true,
      value: { ...ok, stream: false, reasoningKey: 'reasoning', includeUsage: false },
    });
  });

  test('reads stream, max_tokens, reasoning_format and include_usage; ignores unknown fields', () => {
    const result = check({
      ...ok,
      stream: true,
      max_tokens: 9,
      reasoning_format: 'deepseek-style',
      stream_options: { include_usage: true },
      tools: [],
      whatever: 1,
    });
    expect(result).toMatchObject({
      ok: true,
      value: { stream: true, maxTokens: 9, reasoningKey: 'reasoning_content', includeUsage: true },
    });
  });

  test('boundaries of the documented ranges are accepted', () => {
    expect(check({ ...ok, temperature: 0, top_p: 1, frequency_penalty: 1 }).ok).toBe(true);
    expect(check({ ...ok, temperature: 2, top_p: 0, frequency_penalty: 0 }).ok).toBe(true);
    expect(check({ ...ok, temperature: null }).ok).toBe(true);
  });

  test.each([
    ['not json', /valid JSON/],
    ['[1]', /JSON object/],
  ])('body %j is a 400', (text, mentions) => {
    const result = validateChatRequest(text, models);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.status).toBe(400);
      expect(result.error.message).toMatch(mentions);
    }
  });

  test.each([
    [{ messages: ok.messages }, /model/],
    [{ ...ok, model: 'gpt-4' }, /gpt-4/],
    [{ ...ok, messages: 'hi' }, /messages/],
    [{ ...ok, messages: [{ content: 'x' }] }, /messages\[0\]\.role/],
    [{ ...ok, messages: [{ role: 'robot', content: 'x' }] }, /robot/],
    [{ ...ok, temperature: '1' }, /temperature/],
    [{ ...ok, max_tokens: 2.5 }, /max_tokens/],
    [{ ...ok, stream: 'yes' }, /stream/],
    [{ ...ok, reasoning_format: 'xml' }, /reasoning_format/],
  ])('%j → 400 naming the problem', (body, mentions) => {
    const result = check(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.type).toBe('request_params_invalid');
      expect(result.error.message).toMatch(mentions);
    }
  });
});
