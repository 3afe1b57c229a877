import { describe, expect, it } from 'vitest';
import { estimateUsage, parseWireUsage } from '../../src/client/usage.js';

describe('parseWireUsage', () => {
  it('reads StepFun, OpenAI and DeepSeek cache fields', () => {
    expect(
      parseWireUsage({ prompt_tokens: 591, completion_tokens: 3, total_tokens: 594, cached_tokens: 512 }),
    ).toEqual({
      promptTokens: 591,
      completionTokens: 3,
      totalTokens: 594,
      cachedTokens: 512,
      source: 'server',
    });
    expect(
      parseWireUsage({ prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 8 } })
        ?.cachedTokens,
    ).toBe(8);
    expect(
      parseWireUsage({ prompt_tokens: 10, completion_tokens: 2, prompt_cache_hit_tokens: 4 })?.cachedTokens,
    ).toBe(4);
  });

  it('derives a missing total and reads reasoning tokens when broken out', () => {
    const usage = parseWireUsage({
      prompt_tokens: 10,
      completion_tokens: 20,
      completion_tokens_details: { reasoning_tokens: 15 },
    });
    expect(usage).toEqual({
      promptTokens: 10,
      completionTokens: 20,
      totalTokens: 30,
      reasoningTokens: 15,
      source: 'server',
    });
  });

  it('returns undefined for null, non-objects and all-zero placeholders', () => {
    expect(parseWireUsage(null)).toBeUndefined();
    expect(parseWireUsage('12')).toBeUndefined();
    expect(parseWireUsage({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })).toBeUndefined();
  });
});

describe('estimateUsage', () => {
  it('estimates prompt from messages and completion from text, reasoning and tool calls', () => {
    const usage = estimateUsage([{ role: 'user', content: '你好世界' }], '今天晴', 'abcdefgh', [
      { index: 0, name: 'f', arguments: 'xyz' },
    ]);
    // 3 framing + 4 per message + 4 wide chars; 3 wide + 8/4 narrow + 4 narrow chars → 1.
    expect(usage).toEqual({ promptTokens: 11, completionTokens: 6, totalTokens: 17, source: 'estimated' });
  });
});
