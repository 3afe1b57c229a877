/**
 * Counts of requests (sent, or refused) by when they were sent, in 100-ms bins over the last two minutes:
 * enough to say how many the server let through between two moments (the refill rate of a token
 * bucket, the quota of a window) in constant memory at any request rate. Pure; times are the
 * caller's clock, ms.
 */
const BIN_MS = 100;
const BINS = 1200; // 120 s

export class AcceptLog {
  private readonly counts = new Float64Array(BINS);
  /** Absolute bin number each slot currently holds (a slot is reused every BINS bins). */
  private readonly binOf = new Float64Array(BINS).fill(Number.NaN);
  private first: number | undefined;

  /** Time of the first accept recorded, or undefined. */
  get firstAt(): number | undefined {
    return this.first;
  }

  add(sentAt: number): void {
    const bin = Math.floor(sentAt / BIN_MS);
    const slot = ((bin % BINS) + BINS) % BINS;
    if (this.binOf[slot] !== bin) {
      this.binOf[slot] = bin;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += 1;
    if (this.first === undefined || sentAt < this.first) this.first = sentAt;
  }

  /** Accepts sent in [from, to), to 100-ms resolution; only the last 120 s before `to` are kept. */
  countBetween(from: number, to: number): number {
    const lastBin = Math.floor(to / BIN_MS);
    const firstBin = Math.max(Math.floor(from / BIN_MS), lastBin - BINS + 1);
    let total = 0;
    for (let bin = firstBin; bin <= lastBin; bin++) {
      const slot = ((bin % BINS) + BINS) % BINS;
      if (this.binOf[slot] === bin) total += this.counts[slot]!;
    }
    return total;
  }
}
