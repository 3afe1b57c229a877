import { describe, expect, it } from 'vitest';
import { fails, invalid, passes } from './helpers.js';

describe('finish-reason', () => {
  it('passes on the named reason or one of a list', async () => {
    expect(
      (await passes({ type: 'finish-reason', value: 'stop' }, { output: '', finishReason: 'stop' })).reason,
    ).toBe('finish reason is "stop"');
    await passes(
      { type: 'finish-reason', value: ['stop', 'tool_calls'] },
      { output: '', finishReason: 'tool_calls' },
    );
    expect(
      (await fails({ type: 'finish-reason', value: 'stop' }, { output: '', finishReason: 'length' })).reason,
    ).toBe('finish reason is "length", not "stop"');
  });

  it('fails without a finish reason, also under not-', async () => {
    expect((await fails({ type: 'finish-reason', value: 'stop' }, { output: '' })).reason).toBe(
      'no finish reason was reported (wanted "stop")',
    );
    await fails({ type: 'not-finish-reason', value: 'length' }, { output: '' });
  });

  it('not-finish-reason', async () => {
    await passes({ type: 'not-finish-reason', value: 'length' }, { output: '', finishReason: 'stop' });
    await fails({ type: 'not-finish-reason', value: 'length' }, { output: '', finishReason: 'length' });
  });
});

describe('max-tokens', () => {
  it('compares completion tokens, inclusive', async () => {
    const ctx = (completionTokens: number) => ({
      output: 'x',
      usage: { completionTokens, source: 'server' as const },
    });
    expect((await passes({ type: 'max-tokens', value: 50 }, ctx(50))).reason).toBe(
      '50 completion tokens ≤ 50',
    );
    expect((await fails({ type: 'max-tokens', value: 50 }, ctx(51))).reason).toBe(
      '51 completion tokens > 50',
    );
  });

  it('says when the count was estimated, and fails when there is none', async () => {
    const estimated = { output: 'x', usage: { completionTokens: 3, source: 'estimated' as const } };
    expect((await passes({ type: 'max-tokens', value: 5 }, estimated)).reason).toBe(
      '3 completion tokens ≤ 5 (estimated: the server reported no usage)',
    );
    expect((await fails({ type: 'max-tokens', value: 5 }, { output: 'x' })).reason).toBe(
      'completion tokens unknown',
    );
  });

  it('wants a whole number and cannot be negated', () => {
    expect(invalid([{ type: 'max-tokens', value: 1.5 }])).toBe(
      'assert[0] (max-tokens): value must be a whole number of tokens, got 1.5',
    );
    expect(invalid([{ type: 'max-tokens', value: '10' }])).toBe(
      'assert[0] (max-tokens): value must be a number, got "10"',
    );
    expect(invalid([{ type: 'not-max-tokens', value: 10 }])).toMatch(
      /^assert\[0\] \(not-max-tokens\): max-tokens cannot be negated/,
    );
  });
});

describe('max-ttft / max-e2e', () => {
  const ctx = { output: 'x', durations: { ttft: 1800, e2e: 2500.25 } };

  it('reads a number as ms and a string with a unit', async () => {
    expect((await passes({ type: 'max-ttft', value: 2000 }, ctx)).reason).toBe('ttft 1.8 s ≤ 2 s');
    expect((await passes({ type: 'max-ttft', value: '2s' }, ctx)).reason).toBe('ttft 1.8 s ≤ 2 s');
    expect((await fails({ type: 'max-ttft', value: '1500ms' }, ctx)).reason).toBe('ttft 1.8 s > 1.5 s');
    expect((await fails({ type: 'max-e2e', value: '2s' }, ctx)).reason).toBe('e2e 2.5 s > 2 s');
    await passes({ type: 'max-e2e', value: '1m' }, ctx);
    expect(
      (await passes({ type: 'max-ttft', value: 900 }, { output: '', durations: { ttft: 12.34 } })).reason,
    ).toBe('ttft 12.3 ms ≤ 900 ms');
  });

  it('a request without that duration fails with a reason', async () => {
    expect(
      (await fails({ type: 'max-ttft', value: '2s' }, { output: '', durations: { e2e: 10 } })).reason,
    ).toBe('no ttft for this request');
    expect((await fails({ type: 'max-e2e', value: '2s' }, { output: '' })).reason).toBe(
      'no e2e for this request',
    );
  });

  it('a bad duration is an input error', () => {
    expect(invalid([{ type: 'max-ttft', value: '2 seconds' }])).toBe(
      'assert[0] (max-ttft): value "2 seconds" is not a duration such as 500ms, 2s or 1m',
    );
    expect(invalid([{ type: 'max-ttft', value: '2000' }])).toBe(
      'assert[0] (max-ttft): value "2000" needs a unit: write "2000ms", or the number 2000 without quotes (ms)',
    );
    expect(invalid([{ type: 'max-e2e', value: 0 }])).toBe(
      'assert[0] (max-e2e): value must be a duration above 0, got 0',
    );
    expect(invalid([{ type: 'max-e2e' }])).toBe(
      'assert[0] (max-e2e): value is missing: give a duration such as 2s or 1500 (ms)',
    );
    expect(invalid([{ type: 'not-max-e2e', value: '1s' }])).toMatch(/cannot be negated/);
  });
});

describe('max-cost', () => {
  it('compares a known cost', async () => {
    expect((await passes({ type: 'max-cost', value: 0.01 }, { output: '', cost: 0.000123 })).reason).toBe(
      'cost 0.000123 ≤ 0.01',
    );
    expect((await fails({ type: 'max-cost', value: 0.0001 }, { output: '', cost: 0.1 + 0.2 })).reason).toBe(
      'cost 0.3 > 0.0001',
    );
    await passes({ type: 'max-cost', value: 0 }, { output: '', cost: 0 });
  });

  it('an unknown cost fails, never counted as 0', async () => {
    for (const cost of [null, undefined]) {
      const result = await fails({ type: 'max-cost', value: 100 }, { output: '', cost });
      expect(result.reason).toMatch(/^cost unknown/);
      expect(result.score).toBe(0);
    }
  });

  it('wants a number ≥ 0', () => {
    expect(invalid([{ type: 'max-cost', value: -1 }])).toBe(
      'assert[0] (max-cost): value must be ≥ 0, got -1',
    );
    expect(invalid([{ type: 'not-max-cost', value: 1 }])).toMatch(
      /cannot be negated: an unknown value would pass/,
    );
  });
});
