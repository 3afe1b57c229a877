/** Types for ratelimit-stats.mjs, so TypeScript tests can import it under strict mode. */
export interface LimitRecord {
  status: number;
  receivedAt: number;
  endAt: number;
  limitedBy?: string;
}
export interface AttemptBucket {
  t: number;
  attempts: number;
  rateLimited: number;
}
export interface OkPerMinute {
  ok: number;
  spanMs: number;
  perMinute: number;
}
export interface RateLimitFigures {
  attempts: number;
  ok: number;
  rateLimited: number;
  rateLimitedShare: number;
  rateLimitedBy: Record<string, number>;
  firstRateLimitedMs: number | null;
  convergedAtMs: number | null;
  spanMs: number;
  okPerSecond: number;
  peakOkPer60s?: number;
  rpmAfterFirst429?: OkPerMinute | null;
  rpmAfterFirst429Share?: number;
  rpmAfterConvergence?: OkPerMinute | null;
  rpmAfterConvergenceShare?: number;
}
export function peakInWindow(times: readonly number[], windowMs?: number): number;
export function attemptBuckets(records: readonly LimitRecord[], bucketMs: number): AttemptBucket[];
export function convergedAtMs(
  records: readonly LimitRecord[],
  options?: { bucketMs?: number; maxShare?: number },
): number | null;
export function okPerMinuteFrom(records: readonly LimitRecord[], fromMs: number): OkPerMinute;
export function rateLimitFigures(
  records: readonly LimitRecord[],
  options?: { rpmLimit?: number | null; bucketMs?: number; maxShare?: number },
): RateLimitFigures;
