import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkDist, distMean, parseDist, sampleDist } from '../../src/mock/dist.js';
import { createRandom } from '../../src/random.js';

describe('parseDist', () => {
  test.each([
    ['20', 20],
    ['uniform:10:30', { kind: 'uniform', min: 10, max: 30 }],
    ['normal:20:5', { kind: 'normal', mean: 20, sd: 5 }],
    ['exp:20', { kind: 'exponential', mean: 20 }],
    ['exponential:7.5', { kind: 'exponential', mean: 7.5 }],
  ])('%s', (text, expected) => {
    expect(parseDist(text)).toEqual(expected);
  });

  test.each(['', 'fast', 'uniform:10', 'uniform:30:10', 'normal:20', 'exp:-1', '-5', 'uniform:a:b', 'exp:'])(
    'rejects %j with a UserError naming the flag',
    (text) => {
      expect(() => parseDist(text, '--ttft-dist')).toThrow(UserError);
      expect(() => parseDist(text, '--ttft-dist')).toThrow(/--ttft-dist/);
    },
  );
});

describe('sampleDist', () => {
  const draws = (dist: Parameters<typeof sampleDist>[0], n = 5000, seed = 1) => {
    const random = createRandom(seed);
    return Array.from({ length: n }, () => sampleDist(dist, random));
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  test('constant', () => {
    expect(draws(12, 10)).toEqual(Array(10).fill(12));
  });

  test('uniform stays in range with the right mean', () => {
    const xs = draws({ kind: 'uniform', min: 10, max: 30 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...xs)).toBeLessThanOrEqual(30);
    expect(mean(xs)).toBeCloseTo(20, 0);
  });

  test('normal has the right mean and is clamped at 0', () => {
    expect(mean(draws({ kind: 'normal', mean: 50, sd: 5 }))).toBeCloseTo(50, 0);
    expect(Math.min(...draws({ kind: 'normal', mean: 1, sd: 10 }))).toBe(0);
  });

  test('exponential is non-negative with the right mean', () => {
    const xs = draws({ kind: 'exponential', mean: 10 }, 20000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(mean(xs) - 10)).toBeLessThan(0.5);
    expect(distMean({ kind: 'exponential', mean: 10 })).toBe(10);
  });

  test('the same seed reproduces the same draws', () => {
    const dist = { kind: 'normal', mean: 20, sd: 5 } as const;
    expect(draws(dist, 50, 9)).toEqual(draws(dist, 50, 9));
    expect(draws(dist, 50, 9)).not.toEqual(draws(dist, 50, 10));
  });

  test('checkDist explains what is wrong', () => {
    expect(checkDist({ kind: 'uniform', min: 5, max: 1 })).toMatch(/min <= max/);
    expect(checkDist({ kind: 'gamma' })).toMatch(/unknown kind/);
    expect(checkDist(Number.NaN)).toBeDefined();
    expect(checkDist({ kind: 'normal', mean: 3, sd: 0 })).toBeUndefined();
  });
});
