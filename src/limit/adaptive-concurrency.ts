/**
 * The concurrency limit in adaptive mode (DESIGN §5): slow start, then additive increase, cut on
 * refusals the evidence puts down to a concurrency limit (rate limits are the send pacer's:
 * send-pacer.ts, design note 005). Pure state plus an injected clock; the Limiter feeds it.
 */

export type LimitEventKind = 'increase' | 'decrease' | 'pause';

/** One change of the adaptive controller, for the timeline and the report. */
export interface LimitEvent {
  /** Clock time (the injected `now`, ms) of the change. */
  at: number;
  kind: LimitEventKind;
  /** The limit after the change. */
  limit: number;
  reason: string;
  /** For `pause` and `decrease`: growth is held until this clock time. */
  untilMs?: number;
}

export interface AdaptiveConcurrencyOptions {
  /** Starting limit; default 4, clamped to [min, max]. */
  initial?: number;
  /** Floor of every cut; default 1. */
  min?: number;
  /** The user's --concurrency: the controller never goes above it. */
  max: number;
  /** Additive step after the first 429; default 1. */
  increaseBy?: number;
  /**
   * Multiplicative cut on a concurrency refusal when no accepted level is known; default 0.7.
   * TCP's 0.5 answers congestion collapse of a shared queue; a concurrency quota is a fixed
   * ceiling we overshoot by a little, so halving throws away half the throughput for nothing.
   */
  decreaseFactor?: number;
  /** Minimum growth pause after a 429 episode or trouble; default 1000 ms. */
  cooldownMs?: number;
  now: () => number;
}

export const ADAPTIVE_DEFAULTS = Object.freeze({
  initial: 4,
  min: 1,
  increaseBy: 1,
  decreaseFactor: 0.7,
  cooldownMs: 1000,
});

/** Longest growth hold after repeated refusals at the same concurrency ceiling. */
export const MAX_CEILING_HOLD_MS = 30_000;

export type AdaptivePhase = 'slow-start' | 'avoidance';

export class AdaptiveConcurrency {
  private current: number;
  private readonly min: number;
  private readonly max: number;
  private readonly increaseBy: number;
  private readonly decreaseFactor: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly listeners: Array<(e: LimitEvent) => void> = [];
  /**
   * Slow-start threshold (as in TCP): below it the limit doubles per window, above it grows by
   * increaseBy. Infinite until the first 429.
   */
  private ssthresh = Number.POSITIVE_INFINITY;
  /** Successes counted since the last change (outside pauses). */
  private successes = 0;
  /** In-flight reached the limit at some point since the last change. */
  private used = false;
  /** All growth is held until this time (5xx or timeouts: trouble). */
  private heldUntil = Number.NEGATIVE_INFINITY;
  /** Growth past the slow-start threshold is held until this time (after a concurrency refusal). */
  private ceilingHeldUntil = Number.NEGATIVE_INFINITY;
  /** When the latest 429 episode began. */
  private episodeStartedAt = Number.NEGATIVE_INFINITY;
  /** The limit at the latest concurrency refusal, and how many refusals in a row came at it. */
  private lastCeiling = 0;
  private ceilingRepeats = 0;

  constructor(options: AdaptiveConcurrencyOptions) {
    const min = options.min ?? ADAPTIVE_DEFAULTS.min;
    if (!(Number.isInteger(options.max) && options.max >= 1)) {
      throw new RangeError(`max concurrency must be an integer ≥ 1, got ${options.max}`);
    }
    if (!(Number.isInteger(min) && min >= 1 && min <= options.max)) {
      throw new RangeError(`min concurrency must be an integer in [1, ${options.max}], got ${min}`);
    }
    const factor = options.decreaseFactor ?? ADAPTIVE_DEFAULTS.decreaseFactor;
    if (!(factor > 0 && factor < 1)) throw new RangeError(`decreaseFactor must be in (0, 1), got ${factor}`);
    this.min = min;
    this.max = options.max;
    this.increaseBy = Math.max(1, Math.floor(options.increaseBy ?? ADAPTIVE_DEFAULTS.increaseBy));
    this.decreaseFactor = factor;
    this.cooldownMs = Math.max(0, options.cooldownMs ?? ADAPTIVE_DEFAULTS.cooldownMs);
    this.now = options.now;
    const initial = Math.floor(options.initial ?? ADAPTIVE_DEFAULTS.initial);
    this.current = Math.min(this.max, Math.max(this.min, initial));
  }

  get limit(): number {
    return this.current;
  }

  get phase(): AdaptivePhase {
    return this.current < this.ssthresh ? 'slow-start' : 'avoidance';
  }

  /** Clock time until which growth is held (−∞ when it isn't). */
  get growthHeldUntil(): number {
    return Math.max(this.heldUntil, this.ceilingHeldUntil);
  }

  onEvent(listener: (e: LimitEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Called whenever a request starts, with the in-flight count including it. */
  noteInFlight(inFlight: number): void {
    if (inFlight >= this.current) this.used = true;
  }

  /**
   * A request the server answered (ok, length, content_filter …). Every `limit` of them, if the
   * limit was actually reached meanwhile, the limit grows: doubling before the first 429, then
   * +increaseBy. Growth on an unused limit would only measure our own idleness.
   */
  onSuccess(): void {
    const now = this.now();
    if (now < this.heldUntil) return;
    // After a concurrency refusal, regaining the levels below it is not held; probing above is.
    if (this.phase === 'avoidance' && now < this.ceilingHeldUntil) return;
    this.successes++;
    if (!this.used || this.current >= this.max) return;
    // Slow start grows by one per success — a doubling per round, as TCP's per-ACK growth, but
    // one request at a time: doubling in one step sent a whole round's worth of requests past a
    // concurrency limit at once (32 of the 429s against a 32-slot server in the rate-limit bench).
    if (this.phase === 'slow-start') {
      this.change(Math.min(this.max, this.ssthresh, this.current + 1));
      this.emit({ kind: 'increase', reason: 'slow start' });
      return;
    }
    if (this.successes < this.current) return;
    this.change(Math.min(this.max, this.current + this.increaseBy));
    this.emit({ kind: 'increase', reason: 'additive increase' });
  }

  /**
   * A rate limit was found and the send pacer now holds the rate: concurrency is no longer what
   * protects the server from it, so growth returns to slow start (up to `max`, or until a
   * concurrency refusal cuts it). Without this, a ramp that overshot a rate limit with many
   * requests at once — which reads as a concurrency refusal — leaves the window too small for slow
   * replies: 10 req/s at 2 s per reply needs 20 in flight.
   */
  onRateLimitPaced(): void {
    this.ssthresh = Number.POSITIVE_INFINITY;
  }

  /**
   * A refusal the evidence puts down to a concurrency limit (refusal-evidence.ts), of a request
   * sent at `sentAt` with `refusedLevel` in flight, `acceptedLevel` the highest in-flight level
   * the server just accepted.
   * The limit drops to that level (the ceiling is known: a deeper cut only idles), and growth waits
   * before probing one above it again: 1 s after the first refusal at a ceiling, doubling each time
   * the same ceiling refuses again (up to MAX_CEILING_HOLD_MS), so a fixed limit costs one refusal
   * per probe and ever fewer probes. Nothing else is held: the next slot frees within one reply.
   * Refusals of requests sent before the episode began are part of it. Returns true for a new
   * episode.
   */
  onConcurrencyLimit(acceptedLevel: number, sentAt: number, refusedLevel?: number): boolean {
    if (sentAt <= this.episodeStartedAt) return false;
    const now = this.now();
    this.episodeStartedAt = now;
    const ceiling = this.current;
    this.ceilingRepeats = ceiling === this.lastCeiling ? this.ceilingRepeats + 1 : 0;
    this.lastCeiling = ceiling;
    const hold = Math.min(MAX_CEILING_HOLD_MS, this.cooldownMs * 2 ** this.ceilingRepeats);
    const cut =
      acceptedLevel > 0 && acceptedLevel < ceiling
        ? Math.max(this.min, acceptedLevel)
        : Math.max(this.min, Math.floor(ceiling * this.decreaseFactor));
    // Slow start climbs straight back to just below the level that was refused. Acceptances are
    // only known when replies end, so with slow replies the accepted level lags the ramp (2-s
    // replies: the server may already have accepted 14 while only 6 have come back); and a ramp
    // that overshot a rate limit reads the same as a concurrency limit. Either way the levels
    // below the refused one were not refused: regain them at once, then probe after the hold.
    // (Only when the refused level is well above the accepted one, i.e. the evidence lags; at a
    // real ceiling one above the accepted level, the cut level is the threshold.)
    const lagging = refusedLevel !== undefined && refusedLevel - cut > 2;
    this.ssthresh = lagging ? Math.min(ceiling, refusedLevel - 1) : cut;
    this.ceilingHeldUntil = now + hold;
    const reason = `429 at ${ceiling} in flight: concurrency limit`;
    if (cut < this.current) {
      this.change(cut);
      this.emit({ kind: 'decrease', reason, untilMs: this.ceilingHeldUntil });
    } else {
      this.resetCounters();
      this.emit({ kind: 'pause', reason: `${reason}, at the minimum`, untilMs: this.ceilingHeldUntil });
    }
    return true;
  }

  /**
   * 5xx, timeouts, network errors: the server is struggling, not refusing us, so cutting would
   * not help; hold growth for a cooldown instead. Only the start of a hold is reported, so an
   * outage doesn't flood the timeline.
   */
  onTrouble(reason = 'server trouble'): void {
    const now = this.now();
    const wasHeld = now < this.heldUntil;
    const until = now + this.cooldownMs;
    if (until <= this.heldUntil) return;
    this.heldUntil = until;
    this.resetCounters();
    if (!wasHeld) this.emit({ kind: 'pause', reason, untilMs: until });
  }

  private change(next: number): void {
    this.current = next;
    this.resetCounters();
  }

  private resetCounters(): void {
    this.successes = 0;
    this.used = false;
  }

  private emit(e: Omit<LimitEvent, 'at' | 'limit'>): void {
    const event: LimitEvent = { at: this.now(), limit: this.current, ...e };
    for (const listener of this.listeners) listener(event);
  }
}
