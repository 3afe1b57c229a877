import { describe, expect, test } from 'vitest';
import type { Rejection } from '../../src/mock/limits.js';
import { formatGoDuration, rateLimitHeaders } from '../../src/mock/rate-limit-headers.js';

/** Parses a Go duration (`1h2m3.5s`, `12ms`) back to ms, as a client would. */
function parseGoDuration(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(text);
  if (!match || text === '') throw new Error(`not a Go duration: ${text}`);
  const [, h = '0', m = '0', s = '0', ms = '0'] = match;
  return Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + Number(ms);
}

const rejection: Rejection = {
  reason: 'rpm',
  message: 'Rate limit exceeded',
  retryAfterMs: 2_300.2,
  requests: { limit: 10, remaining: 0, resetMs: 2_300.2 },
  tokens: { limit: 5_000, remaining: 4_000.6, resetMs: 0 },
};

describe('formatGoDuration', () => {
  test.each([
    [0, '0s'],
    [12, '12ms'],
    [999.6, '1s'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [61_250, '1m1.25s'],
    [360_000, '6m0s'],
    [3_723_000, '1h2m3s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
    expect(parseGoDuration(text)).toBe(Math.round(ms));
  });
});

describe('rateLimitHeaders', () => {
  test('none: no headers, as StepFun documents', () => {
    expect(rateLimitHeaders('none', rejection)).toEqual({});
  });

  test('seconds: Retry-After is a whole number of seconds, rounded up', () => {
    const headers = rateLimitHeaders('seconds', rejection);
    expect(headers).toEqual({ 'Retry-After': '3' });
    expect(rateLimitHeaders('seconds', { ...rejection, retryAfterMs: 0 })['Retry-After']).toBe('1');
  });

  test('http-date: an IMF date that Date.parse reads, never earlier than the wait', () => {
    const wallNow = Date.UTC(2026, 5, 1, 12, 0, 0, 500);
    const value = rateLimitHeaders('http-date', rejection, wallNow)['Retry-After']!;
    expect(value).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const at = Date.parse(value);
    expect(at).toBe(Date.UTC(2026, 5, 1, 12, 0, 3));
    expect(at - wallNow).toBeGreaterThanOrEqual(rejection.retryAfterMs);
  });

  test('ms: retry-after-ms in whole milliseconds, rounded up', () => {
    expect(rateLimitHeaders('ms', rejection)).toEqual({ 'retry-after-ms': '2301' });
  });

  test('openai: the request and token trios with Go durations', () => {
    const headers = rateLimitHeaders('openai', rejection);
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '2.3s',
      'x-ratelimit-limit-tokens': '5000',
      'x-ratelimit-remaining-tokens': '4000',
      'x-ratelimit-reset-tokens': '0s',
    });
    expect(parseGoDuration(headers['x-ratelimit-reset-requests']!)).toBe(2_300);
  });

  test('openai: only the trios for limits in force', () => {
    const onlyConcurrency: Rejection = { reason: 'concurrency', message: 'x', retryAfterMs: 1_000 };
    expect(rateLimitHeaders('openai', onlyConcurrency)).toEqual({});
  });
});
