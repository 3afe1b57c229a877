/**
 * StepFun's pay-as-you-go rate-limit tiers (pricing page; wire facts §7), as data. The mock's
 * 429 admission and the client's limiter both read this one table, so they can never disagree.
 * StepFun may throttle below these numbers when busy: they are ceilings, not promises.
 */
export type StepfunTierName = 'V0' | 'V1' | 'V2' | 'V3' | 'V4' | 'V5';

export interface StepfunTierLimits {
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests per minute. */
  rpm: number;
  /** Tokens per minute (prompt + completion). */
  tpm: number;
}

export const STEPFUN_TIERS: Readonly<Record<StepfunTierName, Readonly<StepfunTierLimits>>> = Object.freeze({
  V0: Object.freeze({ concurrency: 5, rpm: 10, tpm: 5_000_000 }),
  V1: Object.freeze({ concurrency: 100, rpm: 1_000, tpm: 20_000_000 }),
  V2: Object.freeze({ concurrency: 200, rpm: 5_000, tpm: 30_000_000 }),
  V3: Object.freeze({ concurrency: 400, rpm: 10_000, tpm: 40_000_000 }),
  V4: Object.freeze({ concurrency: 1_000, rpm: 20_000, tpm: 50_000_000 }),
  V5: Object.freeze({ concurrency: 10_000, rpm: 200_000, tpm: 100_000_000 }),
});

/** Tier names in ascending order, e.g. for CLI `choices`. */
export const STEPFUN_TIER_NAMES = Object.keys(STEPFUN_TIERS) as StepfunTierName[];

export const isStepfunTierName = (name: unknown): name is StepfunTierName =>
  typeof name === 'string' && Object.hasOwn(STEPFUN_TIERS, name);
