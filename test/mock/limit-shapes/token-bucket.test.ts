import { describe, expect, test } from 'vitest';
import { bucketCapacity, TokenBucketLimit } from '../../../src/mock/limit-shapes/token-bucket.js';

/** Takes one unit at a time while it fits; how many passed. */
function drain(bucket: TokenBucketLimit, now: number, amount = 1): number {
  let passed = 0;
  while (bucket.state(now, amount).resetMs === 0) {
    bucket.add(now, amount);
    passed++;
  }
  return passed;
}

describe('TokenBucketLimit', () => {
  test('the default burst is one second of refill, at least 1', () => {
    expect(bucketCapacity({ perMinute: 600, burst: null })).toBe(10);
    expect(bucketCapacity({ perMinute: 601, burst: null })).toBe(11);
    expect(bucketCapacity({ perMinute: 3, burst: null })).toBe(1);
    expect(bucketCapacity({ perMinute: 600, burst: 4 })).toBe(4);
  });

  test('exactly `burst` pass at once, then one every 60 s / limit', () => {
    const bucket = new TokenBucketLimit(60_000, { perMinute: 600, burst: 10 }, 0);
    expect(drain(bucket, 0)).toBe(10);
    expect(bucket.state(0, 1)).toEqual({ limit: 10, remaining: 0, resetMs: 100 });
    // Trying every millisecond for 10 s gets 10/s: 100 more, no catch-up burst.
    let passed = 0;
    for (let t = 1; t <= 10_000; t++) passed += drain(bucket, t);
    expect(passed).toBe(100);
    expect(bucket.state(10_000, 1).resetMs).toBeCloseTo(100, 6);
  });

  test('idle time refills only up to the capacity', () => {
    const bucket = new TokenBucketLimit(60_000, { perMinute: 600, burst: 3 }, 0);
    expect(drain(bucket, 0)).toBe(3);
    expect(bucket.state(250, 1).remaining).toBe(2);
    expect(drain(bucket, 3_600_000)).toBe(3);
  });

  test('resetMs is the time until enough tokens for this amount', () => {
    const bucket = new TokenBucketLimit(60_000, { perMinute: 6000, burst: 100 }, 0); // 0.1 token/ms
    bucket.add(0, 100);
    expect(bucket.state(0, 30)).toMatchObject({ remaining: 0, resetMs: 300 });
    expect(bucket.state(100, 30)).toMatchObject({ remaining: 10 });
    expect(bucket.state(100, 30).resetMs).toBeCloseTo(200, 6);
    // More than the whole bucket never fits: a full window, not "soon".
    expect(bucket.state(0, 101).resetMs).toBe(60_000);
  });

  test('amounts taken after admission (TPM completions) can overdraw it; the debt refills first', () => {
    const bucket = new TokenBucketLimit(60_000, { perMinute: 6000, burst: 100 }, 0);
    bucket.add(0, 50);
    bucket.add(0, 150); // a completion bigger than what was left
    expect(bucket.state(0, 10)).toMatchObject({ remaining: 0, resetMs: 1_100 });
  });

  test('a shorter window keeps the rate: rpm 600 over a 1 s window still refills 10/s', () => {
    const bucket = new TokenBucketLimit(1000, { perMinute: 600, burst: null }, 0);
    expect(drain(bucket, 0)).toBe(10);
    expect(bucket.state(0, 1).resetMs).toBeCloseTo(100, 6);
  });

  test('retune keeps the tokens in hand, clamped to the new capacity; raising never refills at once', () => {
    const bucket = new TokenBucketLimit(60_000, { perMinute: 600, burst: null }, 0);
    expect(drain(bucket, 0)).toBe(10);
    bucket.retune(0, { perMinute: 6000, burst: null }); // capacity 100, 100/s
    expect(drain(bucket, 0)).toBe(0);
    expect(drain(bucket, 50)).toBe(5); // refills at the new rate from now on
    bucket.retune(1_000, { perMinute: 60, burst: null }); // bucket held ~95 → clamped to capacity 1
    expect(drain(bucket, 1_000)).toBe(1);
    expect(bucket.state(1_000, 1).resetMs).toBeCloseTo(1_000, 6);
  });

  test('retune refills at the old rate up to the change', () => {
    const bucket = new TokenBucketLimit(60_000, { perMinute: 600, burst: 10 }, 0);
    drain(bucket, 0);
    bucket.retune(500, { perMinute: 60, burst: 10 }); // 5 tokens earned at 10/s, then 1/s
    expect(drain(bucket, 500)).toBe(5);
    expect(drain(bucket, 1_499)).toBe(0);
    expect(drain(bucket, 1_500)).toBe(1);
  });
});

test('an unlimited bucket (rate Infinity) is always full, so a limit switched on starts full', () => {
  const bucket = new TokenBucketLimit(60_000, { perMinute: Number.POSITIVE_INFINITY, burst: 3 }, 0);
  for (let i = 0; i < 100; i++) bucket.add(0, 1);
  bucket.retune(0, { perMinute: 600, burst: 3 });
  expect(bucket.state(0, 1)).toEqual({ limit: 3, remaining: 3, resetMs: 0 });
});
