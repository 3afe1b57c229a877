import { normalUpperTail } from './normal.js';

export interface MannWhitneyResult {
  /** U of `current`: pairs (baseline, current) in which current is the larger, ties counting ½. */
  u: number;
  /** P(current > baseline) + ½·P(tie) = U / (n₁·n₂): 0.5 is no shift; the effect size shown. */
  probabilityGreater: number;
  /** One-sided p-value for "current tends to be larger than baseline" (normal approximation, tie-corrected). */
  pGreater: number;
  /** One-sided p-value for "current tends to be smaller". */
  pLess: number;
}

/**
 * Mann–Whitney U test of two independent samples, by ranks of the pooled sample with midranks for
 * ties and the tie-corrected variance; the normal approximation with continuity correction, which
 * is accurate from about 10 values a side (smaller samples are refused by the caller, not here).
 * Null when either sample is empty or every value is the same.
 */
export function mannWhitney(
  baseline: readonly number[],
  current: readonly number[],
): MannWhitneyResult | null {
  const n1 = baseline.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) return null;
  const pooled = new Float64Array(n1 + n2);
  const fromCurrent = new Uint8Array(n1 + n2);
  baseline.forEach((v, i) => {
    pooled[i] = v;
  });
  current.forEach((v, i) => {
    pooled[n1 + i] = v;
    fromCurrent[n1 + i] = 1;
  });
  const order = Array.from(pooled.keys()).sort((a, b) => (pooled[a] as number) - (pooled[b] as number));
  let rankSumCurrent = 0;
  let tieTerm = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && pooled[order[j + 1] as number] === pooled[order[i] as number]) j++;
    const midrank = (i + j + 2) / 2;
    const tied = j - i + 1;
    for (let k = i; k <= j; k++) if (fromCurrent[order[k] as number]) rankSumCurrent += midrank;
    tieTerm += tied ** 3 - tied;
    i = j + 1;
  }
  const n = n1 + n2;
  const u = rankSumCurrent - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return null;
  const sd = Math.sqrt(variance);
  return {
    u,
    probabilityGreater: u / (n1 * n2),
    pGreater: normalUpperTail((u - mean - 0.5) / sd),
    pLess: normalUpperTail((mean - u - 0.5) / sd),
  };
}
