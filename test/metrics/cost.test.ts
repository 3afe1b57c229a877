import { describe, expect, it } from 'vitest';
import { costOf, requestCost, summarizeCost } from '../../src/metrics/cost.js';
import { DEFAULT_PRICES, priceFor } from '../../src/plan/prices.js';
import type { Price } from '../../src/plan/types.js';

describe('costOf', () => {
  it('charges uncached input, cached input and output at their own rates per 1M tokens', () => {
    const price = DEFAULT_PRICES['step-3.7-flash']!;
    // 1.35 × 0.9 + 0.27 × 0.1 + 8.1 × 0.5
    const cost = costOf({ promptTokens: 1_000_000, cachedTokens: 100_000, completionTokens: 500_000 }, price);
    expect(cost).toBeCloseTo(1.215 + 0.027 + 4.05, 10);
  });

  it('treats missing cached tokens as none and clamps impossible cached counts to the prompt', () => {
    const price: Price = { currency: 'CNY', input: 1, cachedInput: 0.5, output: 2 };
    expect(costOf({ promptTokens: 1_000_000, completionTokens: 0 }, price)).toBe(1);
    expect(costOf({ promptTokens: 1_000_000, cachedTokens: 5_000_000, completionTokens: 0 }, price)).toBe(
      0.5,
    );
  });
});

describe('summarizeCost', () => {
  it('splits a known cost by part and sums them to the total', () => {
    const s = summarizeCost(
      { promptTokens: 2_000_000, cachedTokens: 1_000_000, completionTokens: 1_000_000 },
      DEFAULT_PRICES['step-3.5-flash'],
    );
    expect(s.currency).toBe('CNY');
    if (s.currency === null) throw new Error('unreachable');
    expect(s.input).toBeCloseTo(0.7, 10);
    expect(s.cachedInput).toBeCloseTo(0.14, 10);
    expect(s.output).toBeCloseTo(2.1, 10);
    expect(s.total).toBeCloseTo(s.input + s.cachedInput + s.output, 10);
  });

  it('says "unknown price" instead of 0 when there is no price', () => {
    expect(summarizeCost({ promptTokens: 10, completionTokens: 10 }, undefined)).toEqual({
      currency: null,
      total: null,
      reason: 'unknown price',
    });
  });
});

describe('priceFor', () => {
  it('knows the StepFun list prices', () => {
    expect(priceFor('step-3.7-flash')).toEqual({
      currency: 'CNY',
      input: 1.35,
      cachedInput: 0.27,
      output: 8.1,
    });
    expect(priceFor('step-3.5-flash')).toEqual({
      currency: 'CNY',
      input: 0.7,
      cachedInput: 0.14,
      output: 2.1,
    });
    expect(priceFor('step-1o-turbo-vision')).toEqual({
      currency: 'CNY',
      input: 2.5,
      cachedInput: 0.5,
      output: 8,
    });
  });

  it('prefers an override, matches case-insensitively, and returns undefined for unknown models', () => {
    const override: Price = { currency: 'USD', input: 1, cachedInput: 1, output: 1 };
    expect(priceFor('step-3.5-flash', override)).toBe(override);
    expect(priceFor('Step-3.5-Flash')).toBe(DEFAULT_PRICES['step-3.5-flash']);
    expect(priceFor('gpt-unknown')).toBeUndefined();
  });
});

describe('requestCost', () => {
  const price = DEFAULT_PRICES['step-3.7-flash']!;
  const usage = {
    promptTokens: 2000,
    completionTokens: 300,
    totalTokens: 2300,
    cachedTokens: 1000,
    source: 'server' as const,
  };

  it('is the request usage at the price, through the same costOf as the totals', () => {
    expect(requestCost({ usage, outcome: 'ok', status: 200 }, price)).toBe(costOf(usage, price));
    expect(requestCost({ usage, outcome: 'assertion_failed', status: 200 }, price)).toBeGreaterThan(0);
  });

  it('is unknown (undefined, never 0) without a price, and absent when the request got no response', () => {
    expect(requestCost({ usage, outcome: 'ok', status: 200 }, undefined)).toBeUndefined();
    expect(requestCost({ usage, outcome: 'http_5xx', status: 500 }, price)).toBeUndefined();
    expect(requestCost({ usage, outcome: 'timeout_idle', status: 200 }, price)).toBeUndefined();
  });
});
