/**
 * A sum over a sliding time window (the mock's RPM and TPM), exact to `resolutionMs`.
 *
 * Entries live in a growable ring of (time, amount) pairs kept in arrival order, so expiring the
 * old ones pops from the head and adding pushes at the tail: O(1) amortised, with no scan of the
 * whole window per request. Entries closer than `resolutionMs` to the newest one are merged into
 * it, which caps memory at windowMs / resolutionMs slots however fast requests arrive; a merged
 * amount leaves the window with its group's first entry, at most `resolutionMs` early.
 *
 * Time is whatever clock the caller passes (ms); the window never reads a clock itself.
 */
export class SlidingWindow {
  private times: Float64Array;
  private amounts: Float64Array;
  private head = 0;
  private size = 0;
  private sum = 0;

  constructor(
    readonly windowMs: number,
    private readonly resolutionMs = 0,
    initialCapacity = 64,
  ) {
    this.times = new Float64Array(initialCapacity);
    this.amounts = new Float64Array(initialCapacity);
  }

  /** The total still inside the window at `now`: entries added in (now − windowMs, now]. */
  total(now: number): number {
    this.expire(now);
    return this.sum;
  }

  /** Adds `amount` at time `now` (times must not go backwards; later ones are clamped). */
  add(now: number, amount: number): void {
    if (amount === 0) return;
    this.expire(now);
    this.sum += amount;
    if (this.size > 0) {
      const tail = this.index(this.size - 1);
      if (now - this.times[tail]! <= this.resolutionMs) {
        this.amounts[tail]! += amount;
        return;
      }
    }
    if (this.size === this.times.length) this.grow();
    const slot = this.index(this.size);
    this.times[slot] = now;
    this.amounts[slot] = amount;
    this.size++;
  }

  /**
   * How long after `now` until the total drops to `target` or below (0 if it already has), assuming
   * nothing more is added. Walks only the entries that must leave, oldest first.
   */
  msUntilAtMost(now: number, target: number): number {
    let remaining = this.total(now);
    for (let i = 0; i < this.size && remaining > target; i++) {
      const slot = this.index(i);
      remaining -= this.amounts[slot]!;
      if (remaining <= target) return this.times[slot]! + this.windowMs - now;
    }
    return 0;
  }

  private expire(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.size > 0 && this.times[this.head]! <= cutoff) {
      this.sum -= this.amounts[this.head]!;
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
    // Repeated float subtraction can drift; an empty window is exactly zero.
    if (this.size === 0) this.sum = 0;
  }

  private index(offset: number): number {
    return (this.head + offset) % this.times.length;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const amounts = new Float64Array(this.amounts.length * 2);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.times[this.index(i)]!;
      amounts[i] = this.amounts[this.index(i)]!;
    }
    this.times = times;
    this.amounts = amounts;
    this.head = 0;
  }
}
