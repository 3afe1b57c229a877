/** One per-minute limit as rate-limit headers describe it, for one request's amount. */
export interface WindowState {
  limit: number;
  remaining: number;
  /** ms until the limit would let this request through (0 when it would now). */
  resetMs: number;
}

/** The shapes real servers give a per-minute limit (see each shape's file for why it exists). */
export type LimitShapeName = 'sliding' | 'token-bucket' | 'fixed-window';

export const LIMIT_SHAPE_NAMES: readonly LimitShapeName[] = ['sliding', 'token-bucket', 'fixed-window'];

/**
 * A per-minute limit as a shape is told it: the rate (Infinity = none, still counted), and a token
 * bucket's capacity (null = its default).
 */
export interface RateSpec {
  perMinute: number;
  burst: number | null;
}

/**
 * A per-minute limit (RPM counts requests, TPM counts tokens) in one shape. AdmissionControl asks
 * `state` whether a request's amount fits, `add`s what it admits (and, for TPM, a request's
 * completion tokens when it finishes), and `retune`s the shape when the limit changes mid-run.
 * Time is whatever clock the caller passes (ms) and never goes backwards; a shape reads no clock.
 */
export interface LimitShape {
  state(now: number, amount: number): WindowState;
  add(now: number, amount: number): void;
  /**
   * Changes the limit in force without forgetting what was counted: a change never lets a burst
   * through that the old limit would have refused on top of what the new one allows.
   */
  retune(now: number, spec: RateSpec): void;
}

export const MINUTE_MS = 60_000;

/**
 * A per-minute limit as a count per window of `windowMs` (never below 1). A window shorter than a
 * minute keeps the per-minute rate, so tests and benches meet a limit in seconds.
 */
export const perWindow = (perMinute: number, windowMs: number): number =>
  Math.max(1, Math.floor((perMinute * windowMs) / MINUTE_MS));
