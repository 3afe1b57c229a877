import { describe, expect, it } from 'vitest';
import { type ArrivalSpec, createArrivals } from '../../src/schedule/arrivals.js';

function gaps(spec: ArrivalSpec, seed: number, rate: number, n: number): number[] {
  const arrivals = createArrivals(spec, seed);
  return Array.from({ length: n }, () => arrivals.nextGapMs(rate));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const coefficientOfVariation = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) / m;
};

describe('createArrivals', () => {
  it('spaces constant arrivals exactly 1000/rate ms apart', () => {
    expect(gaps({ kind: 'constant' }, 1, 8, 4)).toEqual([125, 125, 125, 125]);
  });

  it('gives Poisson gaps the right mean (±5 % over 20k) and a CV near 1', () => {
    const xs = gaps({ kind: 'poisson' }, 42, 50, 20_000);
    expect(mean(xs)).toBeGreaterThan(20 * 0.95);
    expect(mean(xs)).toBeLessThan(20 * 1.05);
    expect(coefficientOfVariation(xs)).toBeGreaterThan(0.95);
    expect(coefficientOfVariation(xs)).toBeLessThan(1.05);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  });

  for (const burstiness of [0.25, 1, 4]) {
    it(`gives gamma(burstiness ${burstiness}) gaps the right mean and CV ≈ 1/√burstiness`, () => {
      const xs = gaps({ kind: 'gamma', burstiness }, 7, 10, 20_000);
      expect(mean(xs)).toBeGreaterThan(100 * 0.95);
      expect(mean(xs)).toBeLessThan(100 * 1.05);
      const expectedCv = 1 / Math.sqrt(burstiness);
      expect(coefficientOfVariation(xs)).toBeGreaterThan(expectedCv * 0.93);
      expect(coefficientOfVariation(xs)).toBeLessThan(expectedCv * 1.07);
    });
  }

  it('repeats the same gaps for the same seed and differs for another', () => {
    const spec: ArrivalSpec = { kind: 'gamma', burstiness: 0.5 };
    expect(gaps(spec, 123, 5, 50)).toEqual(gaps(spec, 123, 5, 50));
    expect(gaps(spec, 124, 5, 50)).not.toEqual(gaps(spec, 123, 5, 50));
  });

  it('scales the same draws with the rate', () => {
    const slow = gaps({ kind: 'poisson' }, 9, 1, 10);
    const fast = gaps({ kind: 'poisson' }, 9, 4, 10);
    for (const [i, gap] of fast.entries()) expect(gap * 4).toBeCloseTo(slow[i]!, 9);
  });

  it('returns Infinity instead of dividing by zero when the rate is not positive', () => {
    const arrivals = createArrivals({ kind: 'poisson' }, 1);
    expect(arrivals.nextGapMs(0)).toBe(Number.POSITIVE_INFINITY);
    expect(arrivals.nextGapMs(-3)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a burstiness that is not positive', () => {
    expect(() => createArrivals({ kind: 'gamma', burstiness: 0 }, 1)).toThrow(/burstiness/);
  });
});
