import { describe, expect, test } from 'vitest';
import { SlidingLimit } from '../../../src/mock/limit-shapes/sliding.js';

describe('SlidingLimit', () => {
  test('whatever was added in the last window counts; resetMs is until enough has aged out', () => {
    const limit = new SlidingLimit(60_000, { perMinute: 100, burst: null });
    limit.add(0, 40);
    limit.add(30_000, 60);
    expect(limit.state(30_000, 1)).toEqual({ limit: 100, remaining: 0, resetMs: 30_000 });
    expect(limit.state(30_000, 101).resetMs).toBe(60_000);
    expect(limit.state(60_000, 40)).toEqual({ limit: 100, remaining: 40, resetMs: 0 });
  });

  test('retune keeps the entries: a lower limit waits for them to age out', () => {
    const limit = new SlidingLimit(60_000, { perMinute: 10, burst: null });
    for (let i = 0; i < 5; i++) limit.add(i * 1_000, 1);
    limit.retune(5_000, { perMinute: 4, burst: null });
    // Two entries (t=0, t=1s) must leave before one more fits under 4.
    expect(limit.state(5_000, 1)).toMatchObject({ remaining: 0, resetMs: 56_000 });
    limit.retune(5_000, { perMinute: 6, burst: null });
    expect(limit.state(5_000, 1)).toMatchObject({ remaining: 1, resetMs: 0 });
  });
});
