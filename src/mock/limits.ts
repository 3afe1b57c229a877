import { STEPFUN_TIERS, type StepfunTierName } from '../plan/tiers.js';
import { SlidingWindow } from './sliding-window.js';

/** Which limit turned a request away. */
export type LimitName = 'concurrency' | 'rpm' | 'tpm';

/** The limits in force; null = unlimited. */
export interface EffectiveLimits {
  concurrency: number | null;
  rpm: number | null;
  tpm: number | null;
}

export interface LimitOptions {
  tier: StepfunTierName | null;
  maxConcurrency: number | null;
  rpm: number | null;
  tpm: number | null;
}

/** A tier preset with the explicit limits laid over it (explicit ones win). */
export function effectiveLimits(o: LimitOptions): EffectiveLimits {
  const tier = o.tier === null ? undefined : STEPFUN_TIERS[o.tier];
  return {
    concurrency: o.maxConcurrency ?? tier?.concurrency ?? null,
    rpm: o.rpm ?? tier?.rpm ?? null,
    tpm: o.tpm ?? tier?.tpm ?? null,
  };
}

export const hasAnyLimit = (l: EffectiveLimits): boolean =>
  l.concurrency !== null || l.rpm !== null || l.tpm !== null;

/** One windowed limit as rate-limit headers describe it. */
export interface WindowState {
  limit: number;
  remaining: number;
  /** ms until the window would let this request through (0 when it would now). */
  resetMs: number;
}

export interface Rejection {
  reason: LimitName;
  message: string;
  /** Best guess at when a retry could succeed; concurrency can't know, so it says one second. */
  retryAfterMs: number;
  /** Present when an RPM limit is in force. */
  requests?: WindowState;
  /** Present when a TPM limit is in force. */
  tokens?: WindowState;
}

/** Held by an admitted request until it finishes; releasing twice is harmless. */
export interface AdmissionTicket {
  released: boolean;
}

export type AdmissionResult =
  | { admitted: true; ticket: AdmissionTicket }
  | { admitted: false; rejection: Rejection };

const WINDOW_MS = 60_000;
/** Merging window entries 10 ms apart caps each window at 6,000 slots at any request rate. */
const WINDOW_RESOLUTION_MS = 10;
/** When nothing says how long to wait, e.g. for a free concurrency slot. */
const UNKNOWN_WAIT_MS = 1_000;

/**
 * Concurrency, RPM and TPM admission, the way a StepFun gateway would answer 429s (DESIGN §4).
 * - concurrency: admitted requests still being answered;
 * - RPM: admitted requests in the last 60 s;
 * - TPM: prompt tokens of admitted requests (counted on admission) plus completion tokens (counted
 *   when each finishes) in the last 60 s; a request is let in when the window total plus its own
 *   prompt stays within the limit.
 * Rejected requests count toward nothing. Limits are checked in that order; the first one hit is
 * the reason given. Time comes from `now`, so tests drive the windows with a fake clock.
 */
export class AdmissionControl {
  private inFlight = 0;
  private readonly requests: SlidingWindow;
  private readonly tokens: SlidingWindow;
  /** Share of a minute the window covers: per-minute limits are scaled by it. */
  private readonly scale: number;

  constructor(
    readonly limits: EffectiveLimits,
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs: number = WINDOW_MS,
  ) {
    this.requests = new SlidingWindow(windowMs, WINDOW_RESOLUTION_MS);
    this.tokens = new SlidingWindow(windowMs, WINDOW_RESOLUTION_MS);
    this.scale = windowMs / WINDOW_MS;
  }

  /** A per-minute limit as a per-window count (never below 1). */
  private perWindow(perMinute: number): number {
    return Math.max(1, Math.floor(perMinute * this.scale));
  }

  get active(): number {
    return this.inFlight;
  }

  tryAdmit(promptTokens: number): AdmissionResult {
    const { concurrency, rpm, tpm } = this.limits;
    const now = this.now();
    const requests = rpm === null ? undefined : this.requestState(now, this.perWindow(rpm));
    const tokens = tpm === null ? undefined : this.tokenState(now, this.perWindow(tpm), promptTokens);
    const reject = (reason: LimitName, message: string, retryAfterMs: number): AdmissionResult => ({
      admitted: false,
      rejection: {
        reason,
        message: `Rate limit exceeded: ${message}. Please wait and retry, or top up for a higher tier`,
        retryAfterMs,
        ...(requests ? { requests } : {}),
        ...(tokens ? { tokens } : {}),
      },
    });

    if (concurrency !== null && this.inFlight >= concurrency)
      return reject(
        'concurrency',
        `concurrency limit of ${concurrency} requests in flight reached`,
        UNKNOWN_WAIT_MS,
      );
    if (rpm !== null && requests && requests.remaining === 0)
      return reject('rpm', `RPM limit of ${rpm} requests per minute reached`, requests.resetMs);
    if (tpm !== null && tokens && tokens.resetMs > 0)
      return reject(
        'tpm',
        `TPM limit of ${tpm} tokens per minute reached (${tpm - tokens.remaining} used, ${promptTokens} more requested)`,
        tokens.resetMs,
      );

    this.inFlight++;
    if (rpm !== null) this.requests.add(now, 1);
    if (tpm !== null) this.tokens.add(now, promptTokens);
    return { admitted: true, ticket: { released: false } };
  }

  /** Frees the concurrency slot and counts the completion tokens actually sent. */
  release(ticket: AdmissionTicket, completionTokens: number): void {
    if (ticket.released) return;
    ticket.released = true;
    this.inFlight--;
    if (this.limits.tpm !== null) this.tokens.add(this.now(), completionTokens);
  }

  private requestState(now: number, rpm: number): WindowState {
    const used = this.requests.total(now);
    const remaining = Math.max(0, rpm - used);
    return { limit: rpm, remaining, resetMs: remaining > 0 ? 0 : this.requests.msUntilAtMost(now, rpm - 1) };
  }

  private tokenState(now: number, tpm: number, promptTokens: number): WindowState {
    const used = this.tokens.total(now);
    const remaining = Math.max(0, tpm - used);
    let resetMs = 0;
    // A prompt bigger than the whole limit never fits; say "a full window" rather than "now".
    if (promptTokens > tpm) resetMs = this.windowMs;
    else if (used + promptTokens > tpm) resetMs = this.tokens.msUntilAtMost(now, tpm - promptTokens);
    return { limit: tpm, remaining, resetMs };
  }
}
