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
  ok: number;
  rateLimited: number;
}
export interface OkRate {
  ok: number;
  spanMs: number;
  perMinute: number;
}
export interface OkInMinute {
  ok: number;
  complete: boolean;
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
  firstRpmLimitedMs?: number | null;
  okRateAfterQuota?: OkRate | null;
  rpmShareAfterQuota?: number;
  okInMinuteAfterQuota?: OkInMinute | null;
  minuteShareAfterQuota?: number;
}
export function peakInWindow(times: readonly number[], windowMs?: number): number;
export function attemptBuckets(records: readonly LimitRecord[], bucketMs: number): AttemptBucket[];
export function convergedAtMs(
  records: readonly LimitRecord[],
  options?: { bucketMs?: number; maxShare?: number },
): number | null;
export function okRateFrom(records: readonly LimitRecord[], fromMs: number): OkRate;
export function okInMinuteFrom(records: readonly LimitRecord[], fromMs: number): OkInMinute;
export function rateLimitFigures(
  records: readonly LimitRecord[],
  options?: { rpmLimit?: number | null; bucketMs?: number; maxShare?: number },
): RateLimitFigures;
