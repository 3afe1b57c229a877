/**
 * The concurrency limit in adaptive mode (DESIGN §5): AIMD with slow start, driven by what the
 * server says about each attempt. Pure state plus an injected clock; the Limiter feeds it.
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
   * Multiplicative cut on a 429; default 0.7. TCP's 0.5 answers congestion collapse of a shared
   * queue; an API quota is a fixed ceiling we overshoot by a little, so halving throws away half
   * the throughput for nothing. With 0.7 the sawtooth stays between 70 % and ~100 % of the ceiling,
   * and the simulation test (32 slots / 600 RPM server) keeps ≥ 90 % of the RPM with few 429s.
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

/**
 * Longest hold for back-to-back 429 episodes. Tuned with the simulation in
 * test/limit/simulation.test.ts (32 slots / 600 RPM sliding window, no Retry-After): longer holds
 * cut 429s a little more but starve throughput (a 30-s hold fell to ~70 % of the RPM), 1 s leaves
 * ~10–13 % 429s when replies are fast; 4 s keeps ≥ 90 % of the RPM in every latency tried.
 */
export const MAX_EPISODE_HOLD_MS = 4_000;

/**
 * Send hold of a lone 429 episode. A concurrency limit is cured by the cut alone (the next slot
 * frees in one reply time), so a long pause there only wastes throughput — the rate-limit bench
 * measured 31 % of the ideal with a 1-s first hold. Only when episodes come back to back, as an
 * exhausted RPM window makes them, does the hold double toward MAX_EPISODE_HOLD_MS.
 */
export const FIRST_EPISODE_HOLD_MS = 100;

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
  /** Growth is held until this time (429 episode or trouble). */
  private heldUntil = Number.NEGATIVE_INFINITY;
  /** 429s before this time belong to the episode that already cut. */
  private episodeUntil = Number.NEGATIVE_INFINITY;
  /** Send hold of the latest 429 episode (before Retry-After), ms; doubles for back-to-back episodes. */
  private episodeHoldMs = 0;
  /** When the latest 429 episode began. */
  private episodeStartedAt = Number.NEGATIVE_INFINITY;
  /** New requests are held until this time after a 429 episode (see FIRST_EPISODE_HOLD_MS). */
  private sendHeldUntil = Number.NEGATIVE_INFINITY;

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
    return this.heldUntil;
  }

  /** Clock time until which the latest 429 episode asks that nothing new is sent. */
  get sendingHeldUntil(): number {
    return this.sendHeldUntil;
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
    if (this.now() < this.heldUntil) return;
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
   * A 429. The first of an episode cuts once and holds growth for max(cooldown, Retry-After);
   * later 429s inside that hold (requests already in flight when we cut) don't cut again, though a
   * longer Retry-After extends the hold. Returns true when this 429 opened a new episode.
   */
  onRateLimited(retryAfterMs?: number, sentAt?: number): boolean {
    const now = this.now();
    const hint = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, retryAfterMs) : 0;
    // A request sent before the current episode began was already in flight when we cut: its
    // 429 is old news. One sent after the send hold is fresh evidence that the cut and the hold
    // were not enough. Without the send time, fall back to the episode's growth hold.
    const sameEpisode = sentAt !== undefined ? sentAt <= this.episodeStartedAt : now < this.episodeUntil;
    if (sameEpisode) {
      if (now + hint > this.heldUntil) {
        this.heldUntil = this.episodeUntil = this.sendHeldUntil = now + hint;
        this.emit({ kind: 'pause', reason: '429 with a longer Retry-After', untilMs: this.heldUntil });
      }
      return false;
    }
    this.episodeStartedAt = now;
    // A 429 soon after the previous episode's send hold ended means the hold was too short to let
    // the server's window drain (an RPM quota answers 429 in milliseconds whatever our
    // concurrency): double the hold for each such back-to-back episode, back to the first hold
    // once one is missed.
    const backToBack = now - this.sendHeldUntil < this.cooldownMs;
    this.episodeHoldMs = backToBack
      ? Math.min(MAX_EPISODE_HOLD_MS, Math.max(FIRST_EPISODE_HOLD_MS, this.episodeHoldMs * 2))
      : FIRST_EPISODE_HOLD_MS;
    this.sendHeldUntil = now + Math.max(this.episodeHoldMs, hint);
    // Growth waits at least a cooldown, so the cut is judged before the limit climbs again.
    this.heldUntil = this.episodeUntil = Math.max(this.sendHeldUntil, now + this.cooldownMs);
    const reason = hint > 0 ? `429 (Retry-After ${Math.round(hint)} ms)` : '429';
    if (backToBack && hint === 0 && this.current > this.min) {
      // The cut did not help and the server won't say when it will: it is refusing whatever we
      // send (an exhausted window). Probe with a single request per hold, as TCP restarts from one
      // segment after a timeout, and remember where to stop doubling once the window reopens.
      // (With a Retry-After the hold already waits exactly as long as the server asked.)
      this.ssthresh = Math.max(this.min, Math.floor(this.current * this.decreaseFactor));
      this.change(this.min);
      this.emit({
        kind: 'decrease',
        reason: `${reason} again after a cut: probing`,
        untilMs: this.heldUntil,
      });
      return true;
    }
    const cut = Math.max(this.min, Math.floor(this.current * this.decreaseFactor));
    // A refused probe at the minimum says "still blocked", not "less capacity": keep ssthresh.
    if (!(backToBack && this.current <= this.min)) this.ssthresh = cut;
    if (cut < this.current) {
      this.change(cut);
      this.emit({ kind: 'decrease', reason, untilMs: this.heldUntil });
    } else {
      this.resetCounters();
      this.emit({ kind: 'pause', reason: `${reason} at the minimum limit`, untilMs: this.heldUntil });
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
