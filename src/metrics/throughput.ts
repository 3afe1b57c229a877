/** Rates over a target's measurement window. Null when the window is empty (no division by zero). */
export interface Throughput {
  /** First scheduledAt → last endAt of the target's results, ms. 0 when there were none. */
  windowMs: number;
  /** Completed requests (those that got a response) per second. */
  requestsPerSec: number | null;
  /** Completion tokens per second. */
  outputTokensPerSec: number | null;
  /** Prompt + completion tokens per second. */
  totalTokensPerSec: number | null;
}

/** First/last instants of a target's results, ms since the run started; undefined before any result. */
export interface MeasurementWindow {
  firstScheduledAt?: number;
  firstSentAt?: number;
  lastEndAt?: number;
}

export function windowMs(window: MeasurementWindow): number {
  if (window.firstScheduledAt === undefined || window.lastEndAt === undefined) return 0;
  return Math.max(0, window.lastEndAt - window.firstScheduledAt);
}

function perSecond(amount: number, ms: number): number | null {
  if (ms <= 0) return null;
  return Math.round((amount / (ms / 1000)) * 1000) / 1000;
}

export function throughputOver(
  window: MeasurementWindow,
  counts: { completed: number; outputTokens: number; totalTokens: number },
): Throughput {
  const ms = windowMs(window);
  return {
    windowMs: Math.round(ms * 1000) / 1000,
    requestsPerSec: perSecond(counts.completed, ms),
    outputTokensPerSec: perSecond(counts.outputTokens, ms),
    totalTokensPerSec: perSecond(counts.totalTokens, ms),
  };
}

/** Widens `into` so it also covers `other` (used when merging collectors). */
export function widenWindow(into: MeasurementWindow, other: MeasurementWindow): void {
  into.firstScheduledAt = minDefined(into.firstScheduledAt, other.firstScheduledAt);
  into.firstSentAt = minDefined(into.firstSentAt, other.firstSentAt);
  into.lastEndAt = maxDefined(into.lastEndAt, other.lastEndAt);
}

export function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

export function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
