/**
 * A per-minute budget (requests or tokens) as a continuously refilled token bucket.
 *
 * Burst capacity. StepFun-like servers (and our mock) count a sliding 60-s window. A bucket with
 * refill rate L/60 s and capacity B lets through at most B + L in ANY 60-s window: whatever was
 * saved up at the window's start (≤ B) plus one minute of refill (L). A "natural" bucket of one
 * minute (B = L) would therefore allow 2 L in a window: a 429 storm at the start of every run.
 * We take B = 2 % of L (at least 1, so a single request can always pass), so a window never sees
 * more than ~2 % over the limit — or one request over, for limits under 50/min, where one request
 * is the smallest possible burst. Long-run throughput is still exactly L: only bursts are smaller.
 *
 * Debt. A single take bigger than B (a 200k-token prompt against a 5M TPM bucket) waits until the
 * bucket is full and then drives the balance negative; later takes wait until the debt is repaid.
 * In that case a window can see L + the size of that one take.
 */

/** Fraction of the per-minute limit kept as burst capacity; see the file comment. */
export const BURST_FRACTION = 0.02;

export interface RateBudgetOptions {
  perMinute: number;
  /** Monotonic clock, ms. */
  now: () => number;
  /** Override the burst capacity (tests, or a server known to use a fixed-window counter). */
  capacity?: number;
}

// Absorbs floating-point dust so that waiting exactly the returned time always succeeds.
const EPSILON = 1e-6;

export class RateBudget {
  readonly perMinute: number;
  readonly capacity: number;
  private readonly perMs: number;
  private readonly now: () => number;
  private balance: number;
  private updatedAt: number;

  constructor(options: RateBudgetOptions) {
    if (!(Number.isFinite(options.perMinute) && options.perMinute > 0)) {
      throw new RangeError(`perMinute must be a positive number, got ${options.perMinute}`);
    }
    this.perMinute = options.perMinute;
    this.perMs = options.perMinute / 60_000;
    this.capacity = options.capacity ?? Math.max(1, Math.floor(options.perMinute * BURST_FRACTION));
    this.now = options.now;
    this.balance = this.capacity;
    this.updatedAt = options.now();
  }

  /** Current balance after refill; negative while in debt. */
  get available(): number {
    this.refill();
    return this.balance;
  }

  /** Ms until `amount` could be taken (0 = now). Doesn't take anything. */
  msUntil(amount: number): number {
    this.refill();
    // A take larger than the bucket can only ever start from a full bucket.
    const needed = Math.min(Math.max(0, amount), this.capacity);
    const missing = needed - this.balance;
    if (missing <= EPSILON) return 0;
    return Math.max(1, Math.ceil(missing / this.perMs - EPSILON));
  }

  /** Takes `amount` if available now and returns 0; otherwise takes nothing and returns the ms to wait. */
  tryTake(amount: number): number {
    const wait = this.msUntil(amount);
    if (wait === 0) this.balance -= Math.max(0, amount);
    return wait;
  }

  /** Takes `amount` unconditionally; the balance may go negative (debt repaid by refill). */
  take(amount: number): void {
    this.refill();
    this.balance -= Math.max(0, amount);
  }

  /** Gives back `amount` (e.g. an overestimate), never above the capacity. */
  refund(amount: number): void {
    this.refill();
    this.balance = Math.min(this.capacity, this.balance + Math.max(0, amount));
  }

  /** Corrects an earlier take by `delta` = actual − estimated: positive takes more, negative refunds. */
  adjust(delta: number): void {
    if (delta > 0) this.take(delta);
    else if (delta < 0) this.refund(-delta);
  }

  private refill(): void {
    const t = this.now();
    const elapsed = t - this.updatedAt;
    if (elapsed <= 0) return;
    this.balance = Math.min(this.capacity, this.balance + elapsed * this.perMs);
    this.updatedAt = t;
  }
}
