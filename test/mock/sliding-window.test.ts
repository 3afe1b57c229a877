import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SlidingWindow } from '../../src/mock/sliding-window.js';

describe('SlidingWindow', () => {
  test('entries leave exactly one window after they were added', () => {
    const w = new SlidingWindow(60_000);
    w.add(0, 1);
    w.add(30_000, 2);
    expect(w.total(59_999)).toBe(3);
    expect(w.total(60_000)).toBe(2);
    expect(w.total(89_999)).toBe(2);
    expect(w.total(90_000)).toBe(0);
  });

  test('msUntilAtMost says when enough of the oldest entries have left', () => {
    const w = new SlidingWindow(60_000);
    w.add(1_000, 5);
    w.add(2_000, 5);
    w.add(10_000, 5);
    expect(w.msUntilAtMost(20_000, 15)).toBe(0);
    expect(w.msUntilAtMost(20_000, 10)).toBe(41_000);
    expect(w.msUntilAtMost(20_000, 5)).toBe(42_000);
    expect(w.msUntilAtMost(20_000, 0)).toBe(50_000);
  });

  test('grows past its initial capacity and keeps order', () => {
    const w = new SlidingWindow(1_000, 0, 2);
    for (let t = 0; t < 100; t++) w.add(t * 10, 1);
    expect(w.total(990)).toBe(100);
    expect(w.total(1_500)).toBe(49);
  });

  test('entries within the resolution merge (memory stays bounded) but the total stays exact', () => {
    const w = new SlidingWindow(60_000, 10);
    for (let i = 0; i < 1_000; i++) w.add(i * 0.01, 1);
    expect(w.total(10)).toBe(1_000);
    // All merged into the first entry, so they leave together, one window after it.
    expect(w.total(60_000)).toBe(0);
  });

  test('agrees with a naive list for random traffic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 9 })), {
          maxLength: 200,
        }),
        (steps) => {
          const window = 1_000;
          const w = new SlidingWindow(window, 0, 1);
          const naive: [number, number][] = [];
          let now = 0;
          for (const [gap, amount] of steps) {
            now += gap;
            w.add(now, amount);
            naive.push([now, amount]);
            const expected = naive.filter(([t]) => t > now - window).reduce((sum, [, a]) => sum + a, 0);
            expect(w.total(now)).toBe(expected);
          }
        },
      ),
    );
  });
});
