/**
 * Closed-loop slots that rest after the server refused their job (a 429 that was not sent again).
 *
 * Why: a closed loop refills a slot the moment its job ends, and a 429 ends a job in a millisecond.
 * With retries off (capacity steps, `--retries 0`) and no adaptive hold, the one slot above a
 * server's concurrency limit then looped on instant 429s: 1,970 of them in 1.26 s on a capacity
 * step against a 6-slot mock, so the step read "429 98.5 %" when one slot in seven was over the
 * limit, and a real account would have been hammered. A closed loop's load is its slots, each
 * sending one request per service time; a refused slot must not send faster than a served one.
 *
 * How long a refused slot rests: the mean time the loop's served jobs held their slot (its share
 * of the step's pace), so every slot sends at most as often as a served slot does and the 429
 * share counts slots over the limit, not how fast the server says no. Until a job has been served
 * there is no pace: the rest starts at 100 ms and doubles with each refusal in a row, up to 4 s
 * (the adaptive limiter's first and longest 429 holds), so a server refusing everything sees about
 * one request per slot per few seconds.
 */

export const REFUSED_SLOT_REST = {
  /** Rest of the first refusal while no job has been served yet, ms. */
  firstMs: 100,
  /** Longest rest while no job has been served yet, ms. */
  maxMs: 4_000,
};

export class RestingSlots {
  /** Clock times at which resting slots may take a job again. */
  private readonly until: number[] = [];
  private servedCount = 0;
  private servedTotalMs = 0;
  private refusedInARow = 0;

  /** A job ended normally after holding its slot for `durationMs`. */
  served(durationMs: number): void {
    this.servedCount++;
    this.servedTotalMs += Math.max(0, durationMs);
    this.refusedInARow = 0;
  }

  /** A job was refused at `at`: its slot rests from then. Returns the rest, ms. */
  refused(at: number): number {
    const rest = this.restMs();
    this.refusedInARow++;
    this.until.push(at + rest);
    return rest;
  }

  /** How long the next refused slot rests, ms. */
  private restMs(): number {
    if (this.servedCount > 0) return this.servedTotalMs / this.servedCount;
    const backoff = REFUSED_SLOT_REST.firstMs * 2 ** this.refusedInARow;
    return Math.min(REFUSED_SLOT_REST.maxMs, backoff);
  }

  /** Slots still resting at `now` (rests that are over are forgotten). */
  count(now: number): number {
    for (let i = this.until.length - 1; i >= 0; i--) if (this.until[i]! <= now) this.until.splice(i, 1);
    return this.until.length;
  }

  /** When the next resting slot wakes (Infinity when none rests). */
  nextWake(): number {
    return this.until.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...this.until);
  }
}
