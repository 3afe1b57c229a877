import { SlidingWindow } from '../sliding-window.js';
import { type LimitShape, perWindow, type RateSpec, type WindowState } from './shape.js';

/** Merging window entries 10 ms apart caps each window at 6,000 slots at any request rate. */
const WINDOW_RESOLUTION_MS = 10;

/**
 * A sliding window (the mock's default, and what many gateways keep in Redis): whatever was
 * admitted in the last `windowMs` counts. It has no edge to exploit, so a client that overshoots
 * waits until its oldest requests age out. resetMs = until enough of them have left for this one.
 */
export class SlidingLimit implements LimitShape {
  private readonly window: SlidingWindow;
  private limit: number;

  constructor(
    private readonly windowMs: number,
    spec: RateSpec,
  ) {
    this.window = new SlidingWindow(windowMs, WINDOW_RESOLUTION_MS);
    this.limit = perWindow(spec.perMinute, windowMs);
  }

  state(now: number, amount: number): WindowState {
    const used = this.window.total(now);
    const remaining = Math.max(0, this.limit - used);
    let resetMs = 0;
    // An amount bigger than the whole limit never fits; say "a full window" rather than "now".
    if (amount > this.limit) resetMs = this.windowMs;
    else if (used + amount > this.limit) resetMs = this.window.msUntilAtMost(now, this.limit - amount);
    return { limit: this.limit, remaining, resetMs };
  }

  add(now: number, amount: number): void {
    this.window.add(now, amount);
  }

  /** The window keeps its entries: a lower limit waits for them to age out, a higher one admits at once. */
  retune(_now: number, spec: RateSpec): void {
    this.limit = perWindow(spec.perMinute, this.windowMs);
  }
}
