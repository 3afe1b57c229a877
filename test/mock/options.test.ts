import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors.js';
import { DEFAULT_MOCK_OPTIONS, resolveMockOptions } from '../../src/mock/options.js';

describe('resolveMockOptions', () => {
  test('no input gives the defaults', () => {
    const o = resolveMockOptions();
    expect(o).toEqual(DEFAULT_MOCK_OPTIONS);
    expect(o.host).toBe('127.0.0.1');
    expect(o.ttftMs).toBe(20);
    expect(o.interTokenMs).toBe(5);
    expect(o.replyTokens).toBe(32);
    expect(o.apiKey).toBeNull();
    expect(o.quirks.usage).toBe('cumulative');
  });

  test('partial quirks merge over the default quirks; undefined fields keep defaults', () => {
    const o = resolveMockOptions({ quirks: { crlf: true }, seed: undefined, replyTokens: 3 });
    expect(o.quirks.crlf).toBe(true);
    expect(o.quirks.finishReasonStyle).toBe('absent');
    expect(o.seed).toBe(0);
    expect(o.replyTokens).toBe(3);
  });

  test('the result does not share the default models array', () => {
    resolveMockOptions().models.push('x');
    expect(DEFAULT_MOCK_OPTIONS.models).not.toContain('x');
  });

  test.each([
    [{ port: 70000 }, /port/],
    [{ port: 1.5 }, /port/],
    [{ host: '' }, /host/],
    [{ apiKey: '' }, /apiKey/],
    [{ models: [] }, /models/],
    [{ seed: Number.NaN }, /seed/],
    [{ ttftMs: -1 }, /ttftMs/],
    [{ interTokenMs: { kind: 'uniform', min: 5, max: 1 } }, /interTokenMs/],
    [{ replyTokens: -2 }, /replyTokens/],
    [{ reasoningTokens: 0.5 }, /reasoningTokens/],
    [{ tokensPerChunk: 0 }, /tokensPerChunk/],
    [{ quirks: { usage: 'both' } }, /quirks\.usage/],
    [{ quirks: { finishReasonStyle: 'none' } }, /finishReasonStyle/],
    [{ quirks: { crlf: 'yes' } }, /quirks\.crlf/],
    [{ quirks: { tcpNoDelay: true } }, /quirks\.tcpNoDelay.*unknown/],
    [{ ttft: 5 }, /ttft .*unknown/],
  ])('%j is rejected with a UserError naming the option', (input, mentions) => {
    const run = () => resolveMockOptions(input as never);
    expect(run).toThrow(UserError);
    expect(run).toThrow(mentions);
  });
});
