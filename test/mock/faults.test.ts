import { describe, expect, test } from 'vitest';
import { drawFault, type FaultRates } from '../../src/mock/faults.js';

const off: FaultRates = {
  errorRate500: 0,
  errorRate503: 0,
  stallRate: 0,
  stallPhase: 'before-headers',
  midStreamErrorRate: 0,
  abruptCloseRate: 0,
};

const kinds = (rates: FaultRates, seed: number, n: number) =>
  Array.from({ length: n }, (_, i) => drawFault(rates, seed, i).kind);

describe('drawFault', () => {
  test('all rates 0: never a fault', () => {
    expect(new Set(kinds(off, 1, 1_000))).toEqual(new Set(['none']));
  });

  test('same seed and request number → same fault; another seed → another sequence', () => {
    const rates = { ...off, errorRate500: 0.2, errorRate503: 0.2, abruptCloseRate: 0.2 };
    expect(kinds(rates, 42, 200)).toEqual(kinds(rates, 42, 200));
    expect(kinds(rates, 43, 200)).not.toEqual(kinds(rates, 42, 200));
  });

  test('each rate is honoured over many requests', () => {
    const rates: FaultRates = {
      errorRate500: 0.1,
      errorRate503: 0.05,
      stallRate: 0.02,
      stallPhase: 'mid-stream',
      midStreamErrorRate: 0.03,
      abruptCloseRate: 0.2,
    };
    const n = 20_000;
    const counts: Record<string, number> = {};
    for (const kind of kinds(rates, 7, n)) counts[kind] = (counts[kind] ?? 0) + 1;
    // ±5 standard deviations of a binomial: fails by chance about once in millions of seeds.
    const near = (kind: string, p: number) => {
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs((counts[kind] ?? 0) - n * p)).toBeLessThan(5 * sd);
    };
    near('error500', 0.1);
    near('error503', 0.05);
    near('stall', 0.02);
    near('midStreamError', 0.03);
    near('abruptClose', 0.2);
    near('none', 0.6);
  });

  test('turning one fault on never changes which requests get another', () => {
    const only500 = kinds({ ...off, errorRate500: 0.3 }, 9, 500);
    const both = kinds({ ...off, errorRate500: 0.3, errorRate503: 0.3 }, 9, 500);
    only500.forEach((kind, i) => {
      if (kind === 'error500') expect(both[i]).toBe('error500');
      else expect(both[i]).not.toBe('error500');
    });
  });

  test('mid-stream faults go off after 1 to 3 chunks and carry the stall phase', () => {
    const plans = Array.from({ length: 300 }, (_, i) =>
      drawFault({ ...off, stallRate: 1, stallPhase: 'mid-stream' }, 3, i),
    );
    const after = new Set(plans.map((p) => (p.kind === 'stall' ? p.afterChunks : -1)));
    expect(after).toEqual(new Set([1, 2, 3]));
    expect(plans.every((p) => p.kind === 'stall' && p.phase === 'mid-stream')).toBe(true);
  });
});
