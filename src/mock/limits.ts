import { STEPFUN_TIERS, type StepfunTierName } from '../plan/tiers.js';
import type { LimitChange } from './limit-change.js';
import { type LimitStep, ScheduleCursor } from './limit-schedule.js';
import {
  bucketCapacity,
  createLimitShape,
  type LimitShape,
  type LimitShapeName,
  type RateSpec,
  type WindowState,
} from './limit-shapes/index.js';

export type { WindowState } from './limit-shapes/index.js';

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

/** What `GET /_mock/limits` and the stats say is in force right now. */
export interface LimitsInForce extends EffectiveLimits {
  shape: LimitShapeName;
  /** A token bucket's capacity (the burst) for RPM / TPM; null for window shapes or no limit. */
  rpmBurst: number | null;
  tpmBurst: number | null;
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

/** How the RPM and TPM limits behave, and how they move during a run. */
export interface AdmissionSettings {
  shape: LimitShapeName;
  /** Token-bucket capacities; null = one second's refill. */
  rpmBurst: number | null;
  tpmBurst: number | null;
  /** Steps timed from `startedAt`. */
  schedule: readonly LimitStep[];
  /** The schedule's zero on the `now` clock (default: when the AdmissionControl is made). */
  startedAt?: number;
}

/** A limit as its shape is told it; an unlimited one is counted as a limit of Infinity. */
const spec = (perMinute: number | null, burst: number | null): RateSpec => ({
  perMinute: perMinute ?? Number.POSITIVE_INFINITY,
  burst,
});

const WINDOW_MS = 60_000;
/** When nothing says how long to wait, e.g. for a free concurrency slot. */
const UNKNOWN_WAIT_MS = 1_000;

/**
 * Concurrency, RPM and TPM admission, the way a StepFun gateway would answer 429s (DESIGN §4).
 * - concurrency: admitted requests still being answered;
 * - RPM: admitted requests, counted by the limit's shape (a sliding window by default; see
 *   limit-shapes/ for the token bucket and the fixed window);
 * - TPM: prompt tokens of admitted requests (counted on admission) plus completion tokens (counted
 *   when each finishes), in the same shape; a request is let in when its prompt fits.
 * Rejected requests count toward nothing. Limits are checked in that order; the first one hit is
 * the reason given. Limits may change while it runs (`update`, or the schedule): counts already
 * made stay, so a change never lets a burst through — a lower limit waits for the window to drain
 * (sliding), for the next boundary (fixed) or for the bucket to refill at the new rate; a higher
 * one admits only the difference; a bucket keeps its tokens, clamped to the new capacity.
 * Time comes from `now`, so tests drive every shape and the schedule with a fake clock.
 */
export class AdmissionControl {
  private inFlight = 0;
  private current: EffectiveLimits;
  private bursts: { rpm: number | null; tpm: number | null };
  /**
   * Counted even while unlimited (as a limit of Infinity), so a limit switched on mid-run sees
   * what was already admitted: the window's requests count, and a bucket starts full.
   */
  private readonly requests: LimitShape;
  private readonly tokens: LimitShape;
  private readonly shape: LimitShapeName;
  private readonly schedule: ScheduleCursor;

  constructor(
    limits: EffectiveLimits,
    private readonly now: () => number = () => performance.now(),
    windowMs: number = WINDOW_MS,
    settings: Partial<AdmissionSettings> = {},
  ) {
    this.shape = settings.shape ?? 'sliding';
    this.current = { ...limits };
    this.bursts = { rpm: settings.rpmBurst ?? null, tpm: settings.tpmBurst ?? null };
    const start = now();
    this.requests = createLimitShape(this.shape, windowMs, spec(limits.rpm, this.bursts.rpm), start);
    this.tokens = createLimitShape(this.shape, windowMs, spec(limits.tpm, this.bursts.tpm), start);
    this.schedule = new ScheduleCursor(settings.schedule ?? [], settings.startedAt ?? start);
  }

  get active(): number {
    return this.inFlight;
  }

  /** The limits in force now (after any schedule step due). */
  get limits(): EffectiveLimits {
    this.sync(this.now());
    return { ...this.current };
  }

  inForce(): LimitsInForce {
    const { concurrency, rpm, tpm } = this.limits;
    const burst = (perMinute: number | null, burst: number | null) =>
      this.shape === 'token-bucket' && perMinute !== null ? bucketCapacity({ perMinute, burst }) : null;
    return {
      shape: this.shape,
      concurrency,
      rpm,
      tpm,
      rpmBurst: burst(rpm, this.bursts.rpm),
      tpmBurst: burst(tpm, this.bursts.tpm),
    };
  }

  /** Changes the limits in force now (`POST /_mock/limits`); keys left out keep their value. */
  update(change: LimitChange): void {
    const now = this.now();
    this.sync(now);
    this.apply(change, now);
  }

  tryAdmit(promptTokens: number): AdmissionResult {
    const now = this.now();
    this.sync(now);
    const { concurrency, rpm, tpm } = this.current;
    const requests = rpm === null ? undefined : this.requests.state(now, 1);
    const tokens = tpm === null ? undefined : this.tokens.state(now, promptTokens);
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
    if (requests && requests.resetMs > 0)
      return reject('rpm', `RPM limit of ${rpm} requests per minute reached`, requests.resetMs);
    if (tokens && tokens.resetMs > 0)
      return reject(
        'tpm',
        `TPM limit of ${tpm} tokens per minute reached (${tokens.limit - tokens.remaining} of ${tokens.limit} used, ${promptTokens} more requested)`,
        tokens.resetMs,
      );

    this.inFlight++;
    this.requests.add(now, 1);
    this.tokens.add(now, promptTokens);
    return { admitted: true, ticket: { released: false } };
  }

  /** Frees the concurrency slot and counts the completion tokens actually sent. */
  release(ticket: AdmissionTicket, completionTokens: number): void {
    if (ticket.released) return;
    ticket.released = true;
    this.inFlight--;
    const now = this.now();
    this.sync(now);
    this.tokens.add(now, completionTokens);
  }

  /** Applies the schedule's steps that fell due, each at the moment it was due. */
  private sync(now: number): void {
    for (const step of this.schedule.due(now)) this.apply(step.change, step.at);
  }

  private apply(change: LimitChange, at: number): void {
    if (change.concurrency !== undefined) this.current.concurrency = change.concurrency;
    if (change.rpmBurst !== undefined) this.bursts.rpm = change.rpmBurst;
    if (change.tpmBurst !== undefined) this.bursts.tpm = change.tpmBurst;
    if (change.rpm !== undefined) this.current.rpm = change.rpm;
    if (change.tpm !== undefined) this.current.tpm = change.tpm;
    // Retuning keeps the counts (see each shape's retune): a change lets no burst through.
    if (change.rpm !== undefined || change.rpmBurst !== undefined)
      this.requests.retune(at, spec(this.current.rpm, this.bursts.rpm));
    if (change.tpm !== undefined || change.tpmBurst !== undefined)
      this.tokens.retune(at, spec(this.current.tpm, this.bursts.tpm));
  }
}
