import { describe, expect, it } from 'vitest';
import { bootstrapRatios, sortedSample, statisticOf } from '../../src/compare/stats/bootstrap.js';
import {
  fisherHigher,
  fisherLower,
  mcnemarWorse,
  proportionDifferenceInterval,
} from '../../src/compare/stats/fisher.js';
import { mannWhitney } from '../../src/compare/stats/mann-whitney.js';
import { normalQuantileUpper, normalUpperTail } from '../../src/compare/stats/normal.js';
import { createRandom } from '../../src/random.js';

describe('normal tail', () => {
  it('matches the standard normal table', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.644854)).toBeCloseTo(0.95, 6);
    expect(normalQuantileUpper(0.025)).toBeCloseTo(1.959964, 5);
  });
});

describe('Mann–Whitney U', () => {
  it('counts the pairs in which the current run is larger, ties as halves', () => {
    const all = mannWhitney([1, 2, 3], [4, 5, 6]);
    expect(all?.u).toBe(9);
    expect(all?.probabilityGreater).toBe(1);
    const tied = mannWhitney([1, 2, 3], [3, 4, 5]);
    // 3 vs 3 is a tie: 8 wins and one half.
    expect(tied?.u).toBe(8.5);
  });

  it('gives the textbook p-value with the normal approximation', () => {
    // n1 = n2 = 10, no ties, U = 85: z = (85 − 50 − 0.5) / √175 = 2.60795, one-sided p = 0.0045542.
    const baseline = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x) => x * 10);
    const current = baseline.map((x) => x + 45);
    const r = mannWhitney(baseline, current);
    expect(r?.u).toBe(85);
    expect(r?.pGreater).toBeCloseTo(0.0045542, 5);
    expect(r?.pLess).toBeGreaterThan(0.98);
  });

  it('has nothing to say about empty or constant samples', () => {
    expect(mannWhitney([], [1])).toBeNull();
    expect(mannWhitney([2, 2], [2, 2, 2])).toBeNull();
  });
});

describe("Fisher's exact and McNemar's exact tests", () => {
  it("Fisher: the lady tasting tea's one-sided p-value", () => {
    // 3 of 4 before, 1 of 4 now: P(X ≤ 1) = (16 + 1) / 70.
    expect(fisherLower(3, 4, 1, 4)).toBeCloseTo(17 / 70, 10);
    expect(fisherHigher(1, 4, 3, 4)).toBeCloseTo(17 / 70, 10);
    expect(fisherLower(4, 4, 4, 4)).toBe(1);
  });

  it('Fisher: a drop from 200/200 to 190/200 is significant, 12/12 to 9/12 is not', () => {
    expect(fisherLower(200, 200, 190, 200)).toBeLessThan(0.01);
    // C(12,9)·C(12,12)/C(24,21) = 220/2024.
    expect(fisherLower(12, 12, 9, 12)).toBeCloseTo(220 / 2024, 10);
  });

  it('refuses counts that are not counts', () => {
    expect(() => fisherLower(5, 4, 1, 4)).toThrow(RangeError);
    expect(() => fisherLower(1.5, 4, 1, 4)).toThrow(RangeError);
  });

  it('McNemar: only the rows whose verdict changed count', () => {
    expect(mcnemarWorse(3, 0)).toBeCloseTo(1 / 8, 12);
    expect(mcnemarWorse(6, 0)).toBeCloseTo(1 / 64, 12);
    expect(mcnemarWorse(0, 0)).toBe(1);
    expect(mcnemarWorse(5, 5)).toBeGreaterThan(0.5);
  });

  it("Newcombe's interval for a difference of proportions (his 1998 example: 56/70 vs 48/80)", () => {
    const ci = proportionDifferenceInterval(56, 70, 48, 80, 0.95);
    // Newcombe, Statistics in Medicine 17:873, table II, method 10: 0.0524 to 0.3339 for p1 − p2.
    expect(ci.low).toBeCloseTo(-0.3339, 3);
    expect(ci.high).toBeCloseTo(-0.0524, 3);
  });
});

describe('bootstrap of a ratio', () => {
  const draw = (seed: number, n: number, scale = 1) => {
    const random = createRandom(seed);
    return Array.from({ length: n }, () => scale * (40 + 8 * random()));
  };

  it('thins large samples to evenly spaced order statistics', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i);
    const thin = sortedSample(values, 100);
    expect(thin.length).toBe(100);
    expect(statisticOf(thin, { kind: 'percentile', p: 50 })).toBeCloseTo(4950, -2);
  });

  it('puts 1 inside the interval for samples of one distribution, and 1.3 for a scaled copy', () => {
    const a = sortedSample(draw(1, 200));
    const b = sortedSample(draw(2, 200));
    const stats = [{ kind: 'percentile', p: 95 } as const, { kind: 'mean' } as const];
    const same = bootstrapRatios(a, b, stats, { confidence: 0.95, random: createRandom(9) });
    for (const e of same) {
      expect(e?.low).toBeLessThan(1);
      expect(e?.high).toBeGreaterThan(1);
    }
    const slowed = bootstrapRatios(a, sortedSample(draw(1, 200, 1.3)), stats, {
      confidence: 0.95,
      random: createRandom(9),
    });
    for (const e of slowed) {
      expect(e?.ratio).toBeCloseTo(1.3, 10);
      expect(e?.low).toBeGreaterThan(1.2);
      expect(e?.high).toBeLessThan(1.4);
      expect(e?.pGreater).toBeLessThan(0.01);
    }
  });

  it('gives no ratio when the baseline statistic is 0', () => {
    const zeros = sortedSample(Array.from({ length: 20 }, () => 0));
    const [e] = bootstrapRatios(zeros, zeros, [{ kind: 'mean' }], {
      confidence: 0.95,
      random: createRandom(1),
    });
    expect(e).toBeNull();
  });
});
