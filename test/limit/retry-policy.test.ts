import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, decideRetry, isRetryable } from '../../src/limit/retry-policy.js';
import { OUTCOME_CLASSES, type OutcomeClass } from '../../src/results/outcomes.js';

const NOW = Date.UTC(2026, 5, 1);
const policy = DEFAULT_RETRY_POLICY;
const RETRYABLE: OutcomeClass[] = [
  'rate_limited',
  'network',
  'timeout_connect',
  'timeout_first_token',
  'timeout_idle',
  'timeout_total',
  'stream_error',
  'truncated',
];

describe('isRetryable', () => {
  it.each(RETRYABLE)('retries %s', (outcome) => {
    expect(isRetryable({ outcome })).toBe(true);
  });

  it.each([500, 502, 503, 504])('retries HTTP %d', (status) => {
    expect(isRetryable({ outcome: 'http_5xx', status })).toBe(true);
  });

  it.each([501, 505, 599])('does not retry HTTP %d', (status) => {
    expect(isRetryable({ outcome: 'http_5xx', status })).toBe(false);
  });

  it.each([
    ['http_4xx', 400],
    ['http_4xx', 401],
    ['http_4xx', 402],
    ['http_4xx', 403],
    ['http_4xx', 404],
    ['content_filter', 451],
    ['content_filter', 200],
    ['length', 200],
    ['ok', 200],
    ['assertion_failed', 200],
    ['interrupted', undefined],
  ] as const)('never retries %s (%s)', (outcome, status) => {
    expect(isRetryable({ outcome, status })).toBe(false);
  });
});

describe('decideRetry', () => {
  it('backs off with full jitter under a doubling ceiling', () => {
    const a = { outcome: 'network' as const };
    expect(decideRetry(a, 1, policy, () => 0.5, NOW)).toEqual({
      retry: true,
      delayMs: 250,
      cause: 'backoff',
    });
    expect(decideRetry(a, 3, policy, () => 0.5, NOW)).toEqual({
      retry: true,
      delayMs: 1000,
      cause: 'backoff',
    });
    expect(decideRetry(a, 2, { retries: 99, baseMs: 500, capMs: 30_000 }, () => 0, NOW)).toMatchObject({
      delayMs: 0,
    });
    expect(decideRetry(a, 40, { retries: 99, baseMs: 500, capMs: 30_000 }, () => 0.999, NOW)).toMatchObject({
      delayMs: 29_970,
    });
  });

  it('honours a server hint, even beyond the backoff cap', () => {
    const a = { outcome: 'rate_limited' as const, status: 429, headers: { 'retry-after': '45' } };
    expect(decideRetry(a, 1, policy, () => 0.5, NOW)).toEqual({
      retry: true,
      delayMs: 45_000,
      cause: 'retry-after',
    });
  });

  it('stops after `retries` extra attempts', () => {
    const a = { outcome: 'http_5xx' as const, status: 503 };
    expect(decideRetry(a, 4, policy, Math.random, NOW).retry).toBe(true);
    const last = decideRetry(a, 5, policy, Math.random, NOW);
    expect(last.retry).toBe(false);
    expect(last.retry === false && last.reason).toMatch(/5 attempts/);
  });

  it('says why a non-retryable outcome stops', () => {
    const d = decideRetry({ outcome: 'http_4xx', status: 401 }, 1, policy, Math.random, NOW);
    expect(d).toEqual({ retry: false, reason: 'http_4xx (HTTP 401) is not retryable' });
  });

  it('property: backoff delays stay within [0, cap], hints are honoured, limits respected', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OUTCOME_CLASSES),
        fc.constantFrom(undefined, 200, 400, 429, 451, 500, 501, 503, 504),
        fc.integer({ min: 1, max: 60 }),
        fc.record({
          retries: fc.integer({ min: 0, max: 10 }),
          baseMs: fc.integer({ min: 1, max: 5000 }),
          capMs: fc.integer({ min: 1, max: 60_000 }),
        }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
        (outcome, status, attemptsMade, p, r, hintSeconds) => {
          const headers = hintSeconds === undefined ? undefined : { 'retry-after': String(hintSeconds) };
          const a = { outcome, status, headers };
          const d = decideRetry(a, attemptsMade, p, () => r, NOW);
          if (!isRetryable(a) || attemptsMade > p.retries) {
            expect(d.retry).toBe(false);
            return;
          }
          expect(d.retry).toBe(true);
          if (!d.retry) return;
          if (hintSeconds !== undefined) {
            expect(d).toEqual({ retry: true, delayMs: hintSeconds * 1000, cause: 'retry-after' });
          } else {
            expect(d.cause).toBe('backoff');
            expect(d.delayMs).toBeGreaterThanOrEqual(0);
            expect(d.delayMs).toBeLessThanOrEqual(p.capMs);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('treats a broken random source as zero rather than producing NaN', () => {
    const d = decideRetry({ outcome: 'network' }, 1, policy, () => Number.NaN, NOW);
    expect(d).toEqual({ retry: true, delayMs: 0, cause: 'backoff' });
  });
});
