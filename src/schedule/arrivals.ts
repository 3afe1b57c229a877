import { createRandom, type Random } from '../random.js';

/**
 * How arrivals are spaced at a given rate. `constant`: evenly (k6's arrival-rate executors).
 * `poisson`: exponential gaps, independent arrivals (vLLM's default `--request-rate`). `gamma`:
 * vLLM's `--burstiness`: gaps are Gamma(shape = burstiness) with the same mean, so 1 is Poisson,
 * below 1 burstier (coefficient of variation 1/√burstiness), above 1 more regular.
 */
export type ArrivalSpec =
  | { kind: 'constant' }
  | { kind: 'poisson' }
  | { kind: 'gamma'; burstiness: number /* vLLM's: 1 = poisson, <1 burstier, >1 more regular */ };

export interface Arrivals {
  /** Milliseconds until the next arrival at `ratePerSec`; Infinity when the rate is not positive. */
  nextGapMs(ratePerSec: number): number;
}

/** Why a spec cannot be used, or undefined when it is fine. */
export function arrivalProblem(spec: ArrivalSpec): string | undefined {
  if (spec.kind !== 'gamma') return undefined;
  const b = spec.burstiness;
  return Number.isFinite(b) && b > 0 ? undefined : `burstiness must be a finite number > 0, got ${b}`;
}

/**
 * Seeded so that a run's schedule can be reproduced exactly (same seed → same gaps). Every draw
 * is a mean-1 variate scaled by 1000/rate, so gaps scale exactly with the rate: the open loop
 * relies on that to stretch the same draws over a ramping rate.
 */
export function createArrivals(spec: ArrivalSpec, seed: number): Arrivals {
  const problem = arrivalProblem(spec);
  if (problem) throw new RangeError(`arrival spec: ${problem}`);
  const random = createRandom(seed);
  const unitGap = unitGapSampler(spec, random);
  return {
    nextGapMs(ratePerSec) {
      if (!(ratePerSec > 0)) return Number.POSITIVE_INFINITY;
      return (unitGap() * 1000) / ratePerSec;
    },
  };
}

function unitGapSampler(spec: ArrivalSpec, random: Random): () => number {
  switch (spec.kind) {
    case 'constant':
      return () => 1;
    case 'poisson':
      return () => exponential(random);
    case 'gamma': {
      const shape = spec.burstiness;
      // Gamma(shape, scale 1/shape) has mean 1 and CV 1/√shape.
      return () => gamma(shape, random) / shape;
    }
  }
}

/** Uniform in (0, 1]: safe to take the log of. */
const positiveUniform = (random: Random) => 1 - random();

function exponential(random: Random): number {
  return -Math.log(positiveUniform(random));
}

function standardNormal(random: Random): number {
  // Box–Muller; the second variate is thrown away to keep the sampler stateless.
  return Math.sqrt(-2 * Math.log(positiveUniform(random))) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, scale 1) by Marsaglia & Tsang's squeeze method, boosted for shape < 1. */
function gamma(shape: number, random: Random): number {
  if (shape < 1) {
    // Gamma(a) = Gamma(a + 1) · U^(1/a), since the method needs shape >= 1.
    return gamma(shape + 1, random) * positiveUniform(random) ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = positiveUniform(random);
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
