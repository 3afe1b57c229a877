import { describe, expect, test } from 'vitest';
import { FixedWindowLimit } from '../../../src/mock/limit-shapes/fixed-window.js';

function drain(limit: FixedWindowLimit, now: number, amount = 1): number {
  let passed = 0;
  while (limit.state(now, amount).resetMs === 0) {
    limit.add(now, amount);
    passed++;
  }
  return passed;
}

describe('FixedWindowLimit', () => {
  test('counts reset at each boundary of the clock; resetMs is the time to the next one', () => {
    const limit = new FixedWindowLimit(60_000, { perMinute: 3, burst: null });
    expect(drain(limit, 10_000)).toBe(3);
    expect(limit.state(10_000, 1)).toEqual({ limit: 3, remaining: 0, resetMs: 50_000 });
    expect(drain(limit, 59_999)).toBe(0);
    expect(drain(limit, 60_000)).toBe(3);
  });

  test('the 2× edge: a burst at the end of one window and the start of the next both pass', () => {
    const limit = new FixedWindowLimit(60_000, { perMinute: 5, burst: null });
    expect(drain(limit, 59_900)).toBe(5);
    expect(drain(limit, 60_100)).toBe(5); // ten within 200 ms
    expect(drain(limit, 119_999)).toBe(0);
  });

  test('boundaries sit on the clock, not on the first request', () => {
    const limit = new FixedWindowLimit(60_000, { perMinute: 2, burst: null });
    expect(drain(limit, 90_000)).toBe(2);
    expect(limit.state(90_000, 1).resetMs).toBe(30_000); // next boundary 120 s, not 150 s
    expect(drain(limit, 120_000)).toBe(2);
  });

  test('a shorter window keeps the per-minute rate; an amount over the limit waits a full window', () => {
    const limit = new FixedWindowLimit(1000, { perMinute: 600, burst: null });
    expect(drain(limit, 0)).toBe(10);
    expect(limit.state(250, 1).resetMs).toBe(750);
    expect(limit.state(250, 11).resetMs).toBe(1000);
  });

  test('retune keeps this window’s count: lowering holds until the boundary, raising admits at once', () => {
    const limit = new FixedWindowLimit(60_000, { perMinute: 4, burst: null });
    expect(drain(limit, 0)).toBe(4);
    limit.retune(1_000, { perMinute: 2, burst: null });
    expect(limit.state(1_000, 1)).toMatchObject({ remaining: 0, resetMs: 59_000 });
    limit.retune(2_000, { perMinute: 6, burst: null });
    expect(drain(limit, 2_000)).toBe(2);
  });
});
