import { type LimitShape, MINUTE_MS, perWindow, type RateSpec, type WindowState } from './shape.js';

/** Float slack, so a request that arrives exactly when its tokens are due is not refused by rounding. */
const EPSILON = 1e-9;

/** A bucket's capacity: the burst asked for, else one second's refill (at least 1). */
export const bucketCapacity = (spec: RateSpec): number =>
  spec.burst ?? Math.max(1, Math.ceil(spec.perMinute / (MINUTE_MS / 1000)));

/**
 * A token bucket (nginx `limit_req`, Envoy, most API gateways): it starts full at `capacity`
 * (the burst), each request takes its amount, and it refills continuously — at the same long-run
 * rate the window shapes allow, perWindow(limit) per `windowMs`, i.e. the limit per minute. So
 * `burst` requests pass at once, then one every 60 s / limit: a client must pace, not batch.
 * remaining = whole tokens left (limit in headers = the capacity); resetMs = until enough tokens
 * for this request. TPM completion tokens, taken when a request finishes, may drive the bucket
 * below zero: later requests then wait for the debt to refill.
 */
export class TokenBucketLimit implements LimitShape {
  private capacity: number;
  private perMs: number;
  private tokens: number;
  private at: number;

  constructor(
    private readonly windowMs: number,
    spec: RateSpec,
    now: number,
  ) {
    this.capacity = bucketCapacity(spec);
    this.perMs = perWindow(spec.perMinute, windowMs) / windowMs;
    this.tokens = this.capacity;
    this.at = now;
  }

  state(now: number, amount: number): WindowState {
    this.refill(now);
    const remaining = Math.max(0, Math.floor(this.tokens + EPSILON));
    let resetMs = 0;
    // An amount bigger than the whole bucket never fits; say "a full window" rather than "soon".
    if (amount > this.capacity) resetMs = this.windowMs;
    else if (this.tokens + EPSILON < amount) resetMs = (amount - this.tokens) / this.perMs;
    return { limit: this.capacity, remaining, resetMs };
  }

  add(now: number, amount: number): void {
    this.refill(now);
    this.tokens -= amount;
  }

  /**
   * Refills at the old rate up to `now`, then takes the new rate and capacity; the tokens in hand
   * stay, clamped to the new capacity, so raising the limit never fills the bucket at once.
   */
  retune(now: number, spec: RateSpec): void {
    this.refill(now);
    this.capacity = bucketCapacity(spec);
    this.perMs = perWindow(spec.perMinute, this.windowMs) / this.windowMs;
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  private refill(now: number): void {
    // An unlimited rate (AdmissionControl's stand-in for "no limit") is always full.
    if (this.perMs === Number.POSITIVE_INFINITY) this.tokens = this.capacity;
    if (now <= this.at) return;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
  }
}
