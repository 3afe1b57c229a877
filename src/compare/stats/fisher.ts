import { wilsonInterval } from '../../eval/repeats.js';
import { normalQuantileUpper } from './normal.js';

/**
 * Fisher's exact test on a 2×2 table: `a` of `n` in the baseline, `b` of `m` in the current run
 * (e.g. passed of judged). Returns the one-sided p-value for "the current share is lower than the
 * baseline's": P(X ≤ b) under the hypergeometric law with the margins fixed. Exact, by summing
 * log-space terms, so it holds for small counts where a normal approximation does not.
 */
export function fisherLower(a: number, n: number, b: number, m: number): number {
  for (const [name, v] of [
    ['a', a],
    ['n', n],
    ['b', b],
    ['m', m],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`fisherLower: ${name} must be a whole number >= 0, got ${v}`);
  }
  if (a > n || b > m) throw new RangeError('fisherLower: more successes than trials');
  const k = a + b; // successes in both runs
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const logP = (x: number) => logChoose(m, x) + logChoose(n, k - x) - logChoose(n + m, k);
  let p = 0;
  for (let x = lo; x <= Math.min(b, hi); x++) p += Math.exp(logP(x));
  return Math.min(1, p);
}

/** One-sided p-value for "the current share is higher than the baseline's": P(X ≥ b). */
export function fisherHigher(a: number, n: number, b: number, m: number): number {
  // P(X ≥ b) for the current run's successes is P(X' ≤ n - a) with the runs' failures swapped in.
  return fisherLower(n - a, n, m - b, m);
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * Newcombe's hybrid score interval (his method 10, 1998) for the difference of two proportions
 * b/m − a/n, built from each side's Wilson interval; unlike the Wald interval it behaves at 0 %
 * and 100 %, which is where pass rates live. `confidence` is two-sided (0.95 for α = 0.05).
 */
export function proportionDifferenceInterval(
  a: number,
  n: number,
  b: number,
  m: number,
  confidence: number,
): Interval {
  const z = normalQuantileUpper((1 - confidence) / 2);
  const p1 = a / n;
  const p2 = b / m;
  const w1 = wilsonInterval(a, n, z);
  const w2 = wilsonInterval(b, m, z);
  if (!w1 || !w2) throw new RangeError('proportionDifferenceInterval: both runs need trials');
  const [l1, u1, l2, u2] = [w1.low, w1.high, w2.low, w2.high];
  const d = p2 - p1;
  const low = d - Math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2);
  const high = d + Math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2);
  return { low: Math.max(-1, low), high: Math.min(1, high) };
}

const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++)
    logFactorials[i] = (logFactorials[i - 1] as number) + Math.log(i);
  return logFactorials[n] as number;
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/**
 * McNemar's exact test for paired verdicts (the same rows judged in both runs): of the pairs whose
 * verdict changed, `worse` went pass → fail and `better` fail → pass. One-sided p-value for "more
 * rows got worse than better": P(Bin(worse + better, ½) ≥ worse). Pairs that agree carry no
 * information about the change and are rightly left out.
 */
export function mcnemarWorse(worse: number, better: number): number {
  const n = worse + better;
  if (n === 0) return 1;
  let p = 0;
  for (let x = worse; x <= n; x++) p += Math.exp(logChoose(n, x) - n * Math.LN2);
  return Math.min(1, p);
}
