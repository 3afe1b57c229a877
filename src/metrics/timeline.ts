import { isAnswered, type OutcomeClass } from '../results/outcomes.js';

/**
 * What happened in each second of a run, for the report's timeline chart (throughput, in-flight,
 * concurrency limit, 429s) plus a list of notable events (limit changes, holds, aborts). One small
 * object per second that saw activity, so a 10-hour run costs ~36k buckets.
 */

/** One second of the run; `t` is seconds since the run start. */
export interface TimelineBucket {
  t: number;
  /** Attempts started (retries included). */
  started: number;
  /** Attempts the server answered in full: ok, assertion_failed, length, content_filter. */
  completed: number;
  /** Every other attempt that ended (429s, 5xx, timeouts, network, truncated, …). */
  errors: number;
  /** Attempts that ended in a 429, retried or not (a subset of `errors`). */
  rateLimited: number;
  /** Ended attempts that will be tried again. */
  retries: number;
  /** Highest in-flight count seen in the second (carried over from the previous one if idle). */
  inFlightMax: number;
  /** Concurrency limit at the end of the second; null before the first known value. */
  limit: number | null;
  /** Send rate the adaptive controller had learned (req/s) at the second's last start; null while pacing is off. */
  sendRate: number | null;
  /** Completion tokens of the attempts that ended in this second. */
  outputTokens: number;
}

export interface TimelineEvent {
  /** Ms since the run start. */
  atMs: number;
  kind: string;
  limit?: number;
  reason: string;
}

export interface TimelineJSON {
  buckets: TimelineBucket[];
  events: TimelineEvent[];
}

interface Slot extends TimelineBucket {
  /** In-flight level when the second's last event happened; the next idle second starts there. */
  endInFlight: number;
}

export class Timeline {
  private readonly slots: Slot[] = [];
  private readonly log: TimelineEvent[] = [];
  private inFlight = 0;
  private readonly initialLimit: number | null;
  private currentLimit: number | null;
  private currentRate: number | null = null;

  /**
   * @param startMs the run start on the same clock as every later `at` (performance.now ms).
   * @param initialLimit the concurrency limit at the start, when known.
   */
  constructor(
    private readonly startMs: number,
    initialLimit?: number,
  ) {
    this.initialLimit = initialLimit ?? null;
    this.currentLimit = this.initialLimit;
  }

  attemptStarted(at: number, inFlight: number, sendRate: number | null = null): void {
    const slot = this.slotAt(at);
    slot.started++;
    slot.sendRate = sendRate === null ? null : Math.round(sendRate * 100) / 100;
    this.currentRate = slot.sendRate;
    this.inFlight = inFlight;
    slot.inFlightMax = Math.max(slot.inFlightMax, inFlight);
    slot.endInFlight = inFlight;
  }

  attemptEnded(at: number, outcome: OutcomeClass, willRetry: boolean, outputTokens: number): void {
    const slot = this.slotAt(at);
    if (isAnswered(outcome)) slot.completed++;
    else slot.errors++;
    if (outcome === 'rate_limited') slot.rateLimited++;
    if (willRetry) slot.retries++;
    if (Number.isFinite(outputTokens) && outputTokens > 0) slot.outputTokens += outputTokens;
    this.inFlight = Math.max(0, this.inFlight - 1);
    slot.endInFlight = this.inFlight;
  }

  limitChanged(at: number, limit: number, kind: string, reason: string): void {
    this.slotAt(at).limit = limit;
    this.currentLimit = limit;
    this.log.push({ atMs: this.relative(at), kind, limit, reason });
  }

  event(at: number, kind: string, reason: string): void {
    this.log.push({ atMs: this.relative(at), kind, reason });
  }

  /** Dense buckets from second 0 to the last active one (idle seconds zero-filled), and events. */
  toJSON(): TimelineJSON {
    const buckets: TimelineBucket[] = [];
    let carriedLimit = this.initialLimit;
    let carriedInFlight = 0;
    let carriedRate: number | null = null;
    for (let t = 0; t < this.slots.length; t++) {
      const slot = this.slots[t];
      if (slot) {
        const { endInFlight, ...bucket } = slot;
        buckets.push(bucket);
        carriedLimit = slot.limit;
        carriedInFlight = endInFlight;
        carriedRate = slot.sendRate;
      } else {
        buckets.push(emptyBucket(t, carriedInFlight, carriedLimit, carriedRate));
      }
    }
    return { buckets, events: [...this.log] };
  }

  private relative(at: number): number {
    return Math.round((at - this.startMs) * 1000) / 1000;
  }

  private slotAt(at: number): Slot {
    const t = Math.max(0, Math.floor((at - this.startMs) / 1000));
    let slot = this.slots[t];
    if (!slot) {
      // A new second starts at the level (in flight, limit) the previous activity left behind.
      slot = {
        ...emptyBucket(t, this.inFlight, this.currentLimit, this.currentRate),
        endInFlight: this.inFlight,
      };
      this.slots[t] = slot;
    }
    return slot;
  }
}

function emptyBucket(
  t: number,
  inFlight: number,
  limit: number | null,
  sendRate: number | null,
): TimelineBucket {
  return {
    t,
    started: 0,
    completed: 0,
    errors: 0,
    rateLimited: 0,
    retries: 0,
    inFlightMax: inFlight,
    limit,
    sendRate,
    outputTokens: 0,
  };
}
