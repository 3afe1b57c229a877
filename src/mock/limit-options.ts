import { isStepfunTierName, STEPFUN_TIER_NAMES, type StepfunTierName } from '../plan/tiers.js';
import { limitChangeProblem } from './limit-change.js';
import { type LimitStep, parseLimitSchedule } from './limit-schedule.js';
import { LIMIT_SHAPE_NAMES, type LimitShapeName } from './limit-shapes/index.js';
import { fail, isInt } from './option-checks.js';
import { RETRY_AFTER_STYLES, type RetryAfterStyle } from './rate-limit-headers.js';

/** The mock's rate-limit options (all off by default); explicit limits override the tier's. */
export interface MockLimitOptions {
  /** A StepFun tier preset (concurrency / RPM / TPM), or null for none. */
  tier: StepfunTierName | null;
  /** Requests answered at once; null = the tier's, or unlimited. */
  maxConcurrency: number | null;
  /** Requests per minute, in `rateLimitShape`; null = the tier's, or unlimited. */
  rpm: number | null;
  /** Prompt + completion tokens per minute, in `rateLimitShape`; null = the tier's, or unlimited. */
  tpm: number | null;
  /**
   * How RPM and TPM are counted: `sliding` (the last minute, the default), `token-bucket` (a burst,
   * then a steady refill), or `fixed-window` (counts reset on the minute). See src/mock/limit-shapes/.
   */
  rateLimitShape: LimitShapeName;
  /** Token-bucket capacity for RPM, requests; null = one second's refill (rpm / 60, at least 1). */
  rpmBurst: number | null;
  /** Token-bucket capacity for TPM, tokens; null = one second's refill (tpm / 60, at least 1). */
  tpmBurst: number | null;
  /**
   * Limit changes during the run, timed from the mock's start (stats resets do not restart it).
   * As input also the `--limit-schedule` string, e.g. `0s:600,30s:300,60s:600`.
   */
  limitSchedule: LimitStep[];
  /** How 429s say when to retry: nothing (as StepFun documents), Retry-After, retry-after-ms or OpenAI's headers. */
  retryAfter: RetryAfterStyle;
  /**
   * Length of the RPM/TPM window, ms (StepFun: a minute). A shorter window keeps the same
   * per-minute rate — `rpm × window / 60 s` requests per window — so tests and benches can hit
   * an RPM limit in seconds instead of minutes. A token bucket refills at that same rate.
   */
  rateWindowMs: number;
}

export const DEFAULT_LIMIT_OPTIONS: Readonly<MockLimitOptions> = Object.freeze({
  tier: null,
  maxConcurrency: null,
  rpm: null,
  tpm: null,
  rateLimitShape: 'sliding',
  rpmBurst: null,
  tpmBurst: null,
  limitSchedule: [],
  retryAfter: 'none',
  rateWindowMs: 60_000,
} satisfies MockLimitOptions);

/** `limitSchedule` as given: the steps, or the `--limit-schedule` spelling of them. */
export function resolveLimitSchedule(input: LimitStep[] | string | undefined): LimitStep[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return parseLimitSchedule(input, 'mock option limitSchedule');
  if (!Array.isArray(input))
    fail('limitSchedule', 'must be a list of steps or a string like 0s:600,30s:300', input);
  return [...input];
}

function checkSchedule(steps: readonly LimitStep[], bursts: boolean): void {
  let previous = 0;
  steps.forEach((step, index) => {
    const where = `limitSchedule[${index}]`;
    if (typeof step !== 'object' || step === null) fail(where, 'must be { atMs, change }', step);
    if (typeof step.atMs !== 'number' || !Number.isFinite(step.atMs) || step.atMs < 0)
      fail(`${where}.atMs`, 'must be a time >= 0 in milliseconds', step.atMs);
    if (step.atMs < previous)
      fail(`${where}.atMs`, 'comes before the step ahead of it; list steps in order', step.atMs);
    previous = step.atMs;
    const problem = limitChangeProblem(step.change, bursts);
    if (problem) fail(`${where}.change`, problem, step.change);
  });
}

/** Throws a UserError naming the first bad rate-limit option. */
export function checkLimitOptions(o: MockLimitOptions): void {
  if (o.tier !== null && !isStepfunTierName(o.tier))
    fail('tier', `must be one of ${STEPFUN_TIER_NAMES.join(', ')} or null`, o.tier);
  for (const key of ['maxConcurrency', 'rpm', 'tpm', 'rpmBurst', 'tpmBurst'] as const) {
    if (o[key] !== null && !isInt(o[key], 1)) fail(key, 'must be an integer >= 1 or null', o[key]);
  }
  if (!LIMIT_SHAPE_NAMES.includes(o.rateLimitShape))
    fail('rateLimitShape', `must be one of ${LIMIT_SHAPE_NAMES.join(', ')}`, o.rateLimitShape);
  const bucket = o.rateLimitShape === 'token-bucket';
  for (const key of ['rpmBurst', 'tpmBurst'] as const) {
    // A burst the shape ignores would be a silent no-op: say so instead.
    if (o[key] !== null && !bucket)
      fail(key, "applies only with rateLimitShape 'token-bucket' (--limit-shape token-bucket)", o[key]);
  }
  checkSchedule(o.limitSchedule, bucket);
  if (!RETRY_AFTER_STYLES.includes(o.retryAfter))
    fail('retryAfter', `must be one of ${RETRY_AFTER_STYLES.join(', ')}`, o.retryAfter);
  if (!isInt(o.rateWindowMs, 100))
    fail('rateWindowMs', 'must be an integer >= 100 (milliseconds)', o.rateWindowMs);
}
