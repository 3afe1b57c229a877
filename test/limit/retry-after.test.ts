import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SERVER_HINT_MS, parseGoDuration, parseRetryAfter } from '../../src/limit/retry-after.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

/** Formats ms the way Go's Duration.String() does for ≥ 1 s (`1h2m3.5s`), else `12ms`. */
function goString(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

describe('parseGoDuration', () => {
  it.each([
    ['1s', 1000],
    ['12ms', 12],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['0', 0],
    ['1.5h', 5_400_000],
    ['250us', 0.25],
    ['100ns', 0.0001],
    ['.5s', 500],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '1', 's', '-1s', '1x', '1s2', 'abc', '1 s', '+'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it('round-trips generated durations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 3_600_000 }), (ms) => {
        expect(parseGoDuration(goString(ms))).toBeCloseTo(ms, 6);
      }),
    );
  });
});

describe('parseRetryAfter', () => {
  it('prefers retry-after-ms, then retry-after, then x-ratelimit-reset-*', () => {
    const all = { 'retry-after-ms': '1500.5', 'retry-after': '7', 'x-ratelimit-reset-requests': '9s' };
    expect(parseRetryAfter(all, NOW)).toBe(1500.5);
    expect(parseRetryAfter({ 'retry-after': '7', 'x-ratelimit-reset-requests': '9s' }, NOW)).toBe(7000);
    expect(parseRetryAfter({ 'retry-after': '0.25' }, NOW)).toBe(250);
    expect(parseRetryAfter({ 'x-ratelimit-reset-requests': '9s' }, NOW)).toBe(9000);
  });

  it('falls through an unusable retry-after-ms to retry-after', () => {
    expect(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '2' }, NOW)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after-ms': '-5', 'retry-after': '2' }, NOW)).toBe(2000);
  });

  it('reads HTTP dates in all three formats, relative to now', () => {
    const at = new Date(NOW + 30_000);
    expect(parseRetryAfter({ 'retry-after': at.toUTCString() }, NOW)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': 'Monday, 01-Jun-26 12:00:45 GMT' }, NOW)).toBe(45_000);
    expect(parseRetryAfter({ 'retry-after': 'Mon Jun  1 12:01:00 2026' }, NOW)).toBe(60_000);
  });

  it('ignores past dates and numbers that Date.parse would misread', () => {
    expect(parseRetryAfter({ 'retry-after': new Date(NOW - 5000).toUTCString() }, NOW)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': '2001' }, NOW)).toBe(2_001_000);
    expect(parseRetryAfter({ 'retry-after': 'tomorrow' }, NOW)).toBeUndefined();
  });

  it('clamps hints over an hour', () => {
    expect(parseRetryAfter({ 'retry-after': '86400' }, NOW)).toBe(MAX_SERVER_HINT_MS);
  });

  it('uses the reset of exhausted dimensions only, the later one when both are', () => {
    const base = { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' };
    expect(parseRetryAfter(base, NOW)).toBe(360_000);
    expect(
      parseRetryAfter(
        { ...base, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '5000' },
        NOW,
      ),
    ).toBe(1000);
    expect(
      parseRetryAfter(
        { ...base, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '0' },
        NOW,
      ),
    ).toBe(360_000);
    expect(
      parseRetryAfter(
        { ...base, 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-remaining-tokens': '9' },
        NOW,
      ),
    ).toBeUndefined();
  });

  it('tolerates header names that are not lower-cased', () => {
    expect(parseRetryAfter({ 'Retry-After': '3' }, NOW)).toBe(3000);
  });

  it('round-trips generated HTTP dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_600 }), (seconds) => {
        const header = new Date(NOW + seconds * 1000).toUTCString();
        expect(parseRetryAfter({ 'retry-after': header }, NOW)).toBe(seconds * 1000);
      }),
    );
  });

  it('never returns NaN, a negative or an over-an-hour wait for arbitrary headers', () => {
    const names = fc.constantFrom(
      'retry-after-ms',
      'retry-after',
      'x-ratelimit-reset-requests',
      'x-ratelimit-reset-tokens',
      'x-ratelimit-remaining-requests',
    );
    fc.assert(
      fc.property(fc.dictionary(names, fc.string()), fc.integer({ min: 0, max: 2 ** 42 }), (headers, now) => {
        const ms = parseRetryAfter(headers, now);
        if (ms !== undefined) {
          expect(Number.isNaN(ms)).toBe(false);
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_SERVER_HINT_MS);
        }
        const go = parseGoDuration(headers['retry-after'] ?? '');
        if (go !== undefined) expect(go).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});
