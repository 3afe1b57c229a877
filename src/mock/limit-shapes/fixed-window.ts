import { type LimitShape, perWindow, type RateSpec, type WindowState } from './shape.js';

/**
 * A fixed window (a counter per clock minute: the cheapest limit to run, common in API gateways
 * and "N per minute" plans): counts reset at every boundary floor(now / windowMs) · windowMs of the
 * caller's clock — on the minute with a 60-s window and an epoch-based clock. A client can spend a
 * whole window's worth just before a boundary and again just after it: twice the limit in a moment,
 * the well-known edge. resetMs = time to the next boundary.
 */
export class FixedWindowLimit implements LimitShape {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  private limit: number;

  constructor(
    private readonly windowMs: number,
    spec: RateSpec,
  ) {
    this.limit = perWindow(spec.perMinute, windowMs);
  }

  state(now: number, amount: number): WindowState {
    this.roll(now);
    const remaining = Math.max(0, this.limit - this.used);
    let resetMs = 0;
    // An amount bigger than the whole limit never fits; say "a full window" rather than "at the boundary".
    if (amount > this.limit) resetMs = this.windowMs;
    else if (this.used + amount > this.limit) resetMs = this.windowStart + this.windowMs - now;
    return { limit: this.limit, remaining, resetMs };
  }

  add(now: number, amount: number): void {
    this.roll(now);
    this.used += amount;
  }

  /** This window's count stays: a lower limit holds until the boundary, a higher one admits at once. */
  retune(now: number, spec: RateSpec): void {
    this.roll(now);
    this.limit = perWindow(spec.perMinute, this.windowMs);
  }

  private roll(now: number): void {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    if (start > this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }
}
