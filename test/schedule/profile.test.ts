import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrivalsBy,
  type ProfileSpec,
  profileAt,
  profileChangesAfter,
  profileProblem,
  timeOfArrival,
} from '../../src/schedule/profile.js';

describe('profileAt', () => {
  it('returns a constant value at any time', () => {
    const spec: ProfileSpec = { kind: 'constant', value: 7 };
    expect([0, 1, 1e9].map((t) => profileAt(spec, t))).toEqual([7, 7, 7]);
  });

  it('moves linearly over a ramp, then holds the end value', () => {
    const up: ProfileSpec = { kind: 'ramp', from: 10, to: 50, durationMs: 4000 };
    expect(profileAt(up, -5)).toBe(10);
    expect(profileAt(up, 0)).toBe(10);
    expect(profileAt(up, 1000)).toBe(20);
    expect(profileAt(up, 2000)).toBe(30);
    expect(profileAt(up, 4000)).toBe(50);
    expect(profileAt(up, 60_000)).toBe(50);
    const down: ProfileSpec = { kind: 'ramp', from: 8, to: 0, durationMs: 800 };
    expect(profileAt(down, 200)).toBe(6);
    expect(profileAt(down, 900)).toBe(0);
  });

  it('treats a zero-length ramp as its end value', () => {
    expect(profileAt({ kind: 'ramp', from: 1, to: 9, durationMs: 0 }, 0)).toBe(9);
  });

  it('knows when a ramp can still change', () => {
    const up: ProfileSpec = { kind: 'ramp', from: 1, to: 5, durationMs: 100 };
    expect(profileChangesAfter(up, 50)).toBe(true);
    expect(profileChangesAfter(up, 100)).toBe(false);
    expect(profileChangesAfter({ kind: 'ramp', from: 3, to: 3, durationMs: 100 }, 0)).toBe(false);
    expect(profileChangesAfter({ kind: 'constant', value: 3 }, 0)).toBe(false);
  });

  it('names negative and non-finite values', () => {
    expect(profileProblem({ kind: 'constant', value: 0 })).toBeUndefined();
    expect(profileProblem({ kind: 'constant', value: -1 })).toMatch(/>= 0/);
    expect(profileProblem({ kind: 'constant', value: Number.NaN })).toMatch(/NaN/);
    expect(profileProblem({ kind: 'ramp', from: 0, to: Number.POSITIVE_INFINITY, durationMs: 1 })).toMatch(
      /end/,
    );
    expect(profileProblem({ kind: 'ramp', from: 0, to: 1, durationMs: -1 })).toMatch(/duration/);
  });
});

describe('arrivalsBy and timeOfArrival', () => {
  it('at a constant rate, arrival n is at n × 1000/rate exactly', () => {
    const spec: ProfileSpec = { kind: 'constant', value: 10 };
    expect([0, 1, 2, 37].map((n) => timeOfArrival(spec, n))).toEqual([0, 100, 200, 3700]);
    expect(arrivalsBy(spec, 2500)).toBe(25);
  });

  it('integrates a ramp: 0 → 20/s over 10 s expects 100 arrivals, a quarter of them in the first half', () => {
    const spec: ProfileSpec = { kind: 'ramp', from: 0, to: 20, durationMs: 10_000 };
    expect(arrivalsBy(spec, 10_000)).toBeCloseTo(100, 9);
    expect(arrivalsBy(spec, 5_000)).toBeCloseTo(25, 9);
    expect(arrivalsBy(spec, 12_000)).toBeCloseTo(140, 9);
    expect(timeOfArrival(spec, 25)).toBeCloseTo(5_000, 6);
    expect(timeOfArrival(spec, 140)).toBeCloseTo(12_000, 6);
    // The first arrival of a ramp from 0 comes when one arrival is expected: √(2/k) ≈ 1 s.
    expect(timeOfArrival(spec, 1)).toBeCloseTo(1_000, 6);
  });

  it('never reaches a count the rate cannot produce', () => {
    expect(timeOfArrival({ kind: 'constant', value: 0 }, 1)).toBe(Number.POSITIVE_INFINITY);
    const down: ProfileSpec = { kind: 'ramp', from: 10, to: 0, durationMs: 2000 };
    expect(timeOfArrival(down, 9.99)).toBeLessThan(2000);
    expect(timeOfArrival(down, 10.01)).toBe(Number.POSITIVE_INFINITY);
  });

  it('timeOfArrival inverts arrivalsBy for any ramp', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        (from, to, durationMs, t) => {
          const spec: ProfileSpec = { kind: 'ramp', from, to, durationMs };
          const back = timeOfArrival(spec, arrivalsBy(spec, t));
          expect(Math.abs(back - t)).toBeLessThan(1e-6 * Math.max(1, t) + 1e-6);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
