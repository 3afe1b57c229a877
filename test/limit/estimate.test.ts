import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTPUT_RESERVE, estimateRequestTokens } from '../../src/limit/estimate.js';
import { estimatePromptTokens } from '../../src/tokens/estimate.js';

const messages = [{ role: 'user' as const, content: 'How many tokens is this sentence, roughly?' }];

describe('estimateRequestTokens', () => {
  it('adds max_tokens to the prompt estimate', () => {
    expect(estimateRequestTokens(messages, { max_tokens: 1000 })).toBe(estimatePromptTokens(messages) + 1000);
  });

  it('falls back to the default reserve without a usable max_tokens', () => {
    const prompt = estimatePromptTokens(messages);
    expect(estimateRequestTokens(messages, {})).toBe(prompt + DEFAULT_OUTPUT_RESERVE);
    expect(estimateRequestTokens(messages, { max_tokens: 'lots' })).toBe(prompt + DEFAULT_OUTPUT_RESERVE);
    expect(estimateRequestTokens(messages, { max_tokens: 0 })).toBe(prompt + DEFAULT_OUTPUT_RESERVE);
    expect(estimateRequestTokens(messages, { max_completion_tokens: 64 })).toBe(prompt + 64);
  });
});
