/**
 * Which limit a refusal hit (design note 005). A concurrency limit refuses a request sent while
 * more were in flight than the server has recently accepted at once; a rate limit (RPM, TPM, a
 * token bucket, a window) refuses at whatever concurrency, including levels that were accepted a
 * moment ago. So each refusal is compared with the highest in-flight count (at send) among the
 * requests accepted over the last 10 s: above it → concurrency, otherwise → rate. "Highest" is
 * the highest level reached by at least 3 accepts (or all of them, when fewer came back): one
 * request that slipped in at a level the server does not allow, because a slot freed on the server
 * before the client saw the reply, must not make that level look allowed.
 *
 * Accepts are kept per in-flight level in two 5-s blocks (the current one and the previous one):
 * a sliding 5–10 s memory in memory bounded by the concurrency levels used.
 */
const ENOUGH = 3;
const BLOCK_MS = 5_000;

export type LimitKind = 'concurrency' | 'rate';

export interface EvidenceCounts {
  /** Refusals put down to each kind. */
  refusals: Record<LimitKind, number>;
}

export class RefusalEvidence {
  private block = Number.NaN;
  private current = new Map<number, number>();
  private previous = new Map<number, number>();
  private readonly counts: EvidenceCounts = { refusals: { concurrency: 0, rate: 0 } };

  /** A request sent at `sentAt` with `inFlight` requests in flight (itself included) was accepted. */
  onAccepted(sentAt: number, inFlight: number): void {
    this.roll(sentAt);
    this.current.set(inFlight, (this.current.get(inFlight) ?? 0) + 1);
  }

  /** Highest in-flight level accepted over the last 5–10 s before `at` (0 when none; see above). */
  acceptedInFlight(at: number): number {
    this.roll(at);
    const counts = new Map(this.previous);
    let total = 0;
    for (const [level, n] of this.current) counts.set(level, (counts.get(level) ?? 0) + n);
    for (const n of counts.values()) total += n;
    const needed = Math.min(ENOUGH, total);
    let seen = 0;
    for (const level of [...counts.keys()].sort((a, b) => b - a)) {
      seen += counts.get(level) ?? 0;
      if (seen >= needed) return level;
    }
    return 0;
  }

  /**
   * Classifies (and counts) a refusal of a request sent at `sentAt` with `inFlight` in flight.
   * `window` is the concurrency window at the time: a refusal at exactly the accepted level is
   * ambiguous, and is put down to concurrency when the window was full (above its minimum) and no
   * send rate was in force yet — a client that never paced has nothing else to blame.
   */
  classify(
    sentAt: number,
    inFlight: number,
    window?: { limit: number; min: number; pacing: boolean },
  ): LimitKind {
    const accepted = this.acceptedInFlight(sentAt);
    const full =
      window !== undefined && !window.pacing && window.limit > window.min && inFlight >= window.limit;
    const kind: LimitKind =
      accepted > 0 && (inFlight > accepted || (full && inFlight >= accepted)) ? 'concurrency' : 'rate';
    this.counts.refusals[kind]++;
    return kind;
  }

  get summary(): EvidenceCounts {
    return { refusals: { ...this.counts.refusals } };
  }

  private roll(at: number): void {
    const block = Math.floor(at / BLOCK_MS);
    // Send times reach us out of order (a slow reply's send is older than a fast one's): an older
    // time counts in the current block.
    if (block <= this.block) return;
    // Only the block just before the current one counts as "previous"; older ones are forgotten.
    this.previous = block === this.block + 1 ? this.current : new Map();
    this.current = new Map();
    this.block = block;
  }
}
