import { AcceptLog } from './accept-log.js';

/**
 * The send rate in adaptive mode: a token bucket on sends whose rate is learned from what the
 * server accepts (design note 005). Off (no pacing) until the first refusal that the evidence
 * puts down to a rate limit; from then on every attempt, retries included, waits for a token.
 *
 * - **Learning.** On a rate-limit episode the rate is set to β × the accepted rate: the requests
 *   accepted between the onsets of this episode and the previous one, over the time between them
 *   (counted by send time as sends minus refusals, so replies still on their way count: with 2-s
 *   replies, waiting for acceptances would miss the last 2 s of every span)
 *   (a token bucket's refill rate when it was empty at both ends; BBR's policer estimate), or over
 *   the last 5 s for the first episode. Never above the rate we were pacing at when refused.
 * - **Blocked.** When almost nothing got through since the previous onset (an exhausted window),
 *   that estimate says "zero", not "the limit": the pacer drops to a probe rate but remembers the
 *   last good estimate (or, after a minute, the accepts of the last 60 s: a window's quota), and
 *   once sends are accepted again it doubles per second back towards it, as TCP's slow start.
 * - **Probing.** Near the estimate the rate follows a CUBIC curve: back to the estimate in 20 s,
 *   slowly, then faster above it, so a limit that rose is found and an unchanged one costs one
 *   episode every ~40 s. Each overshoot costs a refusal and any Retry-After pause, so the probe
 *   near the limit is deliberately slow. At 2 × the estimate without a refusal the estimate was low
 *   (a refusal misread, or the limit rose): that plateau becomes the estimate and probing goes on.
 * - **No catch-up.** The bucket holds at most 100 ms of sends (at least one): after a pause the
 *   client resumes at the rate, never with a burst of saved-up sends.
 */
export const PACER = Object.freeze({
  /** Multiplicative cut below the estimate. */
  beta: 0.95,
  /** Seconds for the CUBIC curve to climb back from β × estimate to the estimate. */
  recoverSeconds: 20,
  /** Slowest pace, sends/s: while blocked, one probe every 2 s. */
  floorPerSec: 0.5,
  /** Window for the first estimate, ms. */
  firstWindowMs: 5_000,
  /** Below this share of the previous rate, the accepted rate reads "blocked". */
  blockedShare: 0.2,
  /** Longest gap between onsets the estimate spans, ms (the accept log keeps 120 s). */
  maxSpanMs: 110_000,
  /** The bucket's depth, in seconds of sends. */
  burstSeconds: 0.1,
  /** At this multiple of the estimate without a refusal, the plateau becomes the estimate. */
  maxGrowth: 2,
});

/** After a block, a refusal during the climb is judged over the last 2 s of it. */
const RECOVERY_WINDOW_MS = 2_000;

const CUBIC_C = (1 - PACER.beta) / PACER.recoverSeconds ** 3;

export interface RateEpisode {
  /** Send time of the refused request that opened the episode. */
  onsetAt: number;
  /** Accepted rate the estimate came from, sends/s. */
  estimatePerSec: number;
  /** How it was estimated. */
  basis: 'between-onsets' | 'recent' | 'blocked';
  /** The rate after the cut. */
  ratePerSec: number;
}

type Mode =
  | { kind: 'off' }
  /** Blocked since `since`; doubling from `from` since the first accept after it (`resumedAt`). */
  | { kind: 'recover'; from: number; since: number; blockedAt: number; resumedAt?: number }
  | { kind: 'cubic'; since: number };

export class SendPacer {
  /** Every send, and every refused send, by send time: accepted = sent − refused. */
  private readonly sent = new AcceptLog();
  private readonly refused = new AcceptLog();
  private mode: Mode = { kind: 'off' };
  /** The estimate the rate climbs back to. */
  private wMax = Number.POSITIVE_INFINITY;
  private tokens = 1;
  private tokensAt: number;
  private lastOnset: number | undefined;
  /** Refusals of requests sent before this time belong to the episode already answered. */
  private reactedAt = Number.NEGATIVE_INFINITY;
  private episodes = 0;
  /** Start of the current window cycle: the first send, then each end of a block. */
  private cycleStart: number | undefined;

  constructor(private readonly now: () => number) {
    this.tokensAt = now();
  }

  /** Sends/s in force now; Infinity while pacing is off. */
  get ratePerSec(): number {
    return this.rateAt(this.now());
  }

  get engaged(): boolean {
    return this.mode.kind !== 'off';
  }

  get episodeCount(): number {
    return this.episodes;
  }

  /** Ms until the next send may go (0 = now). */
  msUntilSend(): number {
    const now = this.now();
    const rate = this.rateAt(now);
    if (!Number.isFinite(rate)) return 0;
    this.refill(now, rate);
    if (this.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - this.tokens) / rate) * 1000));
  }

  /** A send goes now. */
  take(): void {
    const now = this.now();
    this.sent.add(now);
    this.cycleStart ??= now;
    const rate = this.rateAt(now);
    if (!Number.isFinite(rate)) return;
    this.refill(now, rate);
    this.tokens -= 1;
  }

  /** The server accepted a request sent at `sentAt`. */
  onAccepted(sentAt: number): void {
    const mode = this.mode;
    if (mode.kind !== 'recover' || mode.resumedAt !== undefined || sentAt < mode.since) return;
    // The block is over. A window's rate is its quota over its period: what was accepted from the
    // start of this cycle until the block, over the time from that start until now.
    const now = this.now();
    mode.resumedAt = now;
    const start = this.cycleStart ?? mode.blockedAt;
    const period = now - start;
    const quota = this.acceptedBetween(start, mode.blockedAt);
    if (period >= 1000 && quota > 0) this.wMax = Math.max(PACER.floorPerSec, (quota / period) * 1000);
    this.cycleStart = now;
  }

  /**
   * A refusal put down to a rate limit, of a request sent at `sentAt`. Answers once per episode:
   * a request sent before the previous reaction was already on its way (returns undefined).
   */
  onRefused(sentAt: number): RateEpisode | undefined {
    this.refused.add(sentAt);
    if (sentAt <= this.reactedAt) return undefined;
    const now = this.now();
    const mode = this.mode;
    if (mode.kind === 'recover' && mode.resumedAt === undefined) {
      // A probe refused while blocked: still blocked, nothing new to learn.
      this.reactedAt = now;
      this.episodes++;
      return { onsetAt: sentAt, estimatePerSec: 0, basis: 'blocked', ratePerSec: mode.from };
    }
    // Estimate before reading the rate: reading it can end a climb (rateAt), which changes the basis.
    const measured = this.estimate(sentAt);
    const previousRate = this.rateAt(now);
    const reference = Number.isFinite(previousRate) ? previousRate : measured.perSec;
    let basis = measured.basis;
    let estimate = measured.perSec;
    if (estimate < PACER.blockedShare * reference) {
      // Nothing gets through (an exhausted window): probe slowly. When a probe is accepted again,
      // onAccepted learns the window's rate from the quota and how long it took to come back.
      if (!Number.isFinite(this.wMax)) this.wMax = Math.max(PACER.floorPerSec, reference);
      this.mode = { kind: 'recover', from: PACER.floorPerSec, since: now, blockedAt: sentAt };
      basis = 'blocked';
      estimate = 0;
    } else {
      this.wMax = Math.max(PACER.floorPerSec, Math.min(estimate, previousRate));
      this.mode = { kind: 'cubic', since: now };
    }
    this.lastOnset = sentAt;
    this.reactedAt = now;
    this.tokens = 0;
    this.tokensAt = now;
    this.episodes++;
    return { onsetAt: sentAt, estimatePerSec: estimate, basis, ratePerSec: this.rateAt(now) };
  }

  private estimate(onset: number): { perSec: number; basis: RateEpisode['basis'] } {
    const mode = this.mode;
    if (mode.kind === 'recover' && mode.resumedAt !== undefined) {
      // Refused while climbing back after a block: the limit is where the climb got to. The span
      // since the previous onset holds the block and the climb, whose average says nothing of it.
      const span = Math.max(500, Math.min(RECOVERY_WINDOW_MS, onset - mode.resumedAt));
      return { perSec: (this.acceptedBetween(onset - span, onset) / span) * 1000, basis: 'recent' };
    }
    if (this.lastOnset !== undefined) {
      // A refusal soon after the last reaction is judged over at least 250 ms: "the cut was not
      // enough", with what got through since (often nothing: an exhausted window).
      const span = Math.max(250, onset - this.lastOnset);
      if (span <= PACER.maxSpanMs) {
        return {
          perSec: (this.acceptedBetween(this.lastOnset, onset) / span) * 1000,
          basis: 'between-onsets',
        };
      }
    }
    const first = this.sent.firstAt ?? onset;
    const span = Math.max(500, Math.min(PACER.firstWindowMs, onset - first));
    return { perSec: (this.acceptedBetween(onset - span, onset) / span) * 1000, basis: 'recent' };
  }

  private acceptedBetween(from: number, to: number): number {
    return Math.max(0, this.sent.countBetween(from, to) - this.refused.countBetween(from, to));
  }

  private rateAt(now: number): number {
    const mode = this.mode;
    if (mode.kind === 'off') return Number.POSITIVE_INFINITY;
    const target = PACER.beta * this.wMax;
    if (mode.kind === 'recover') {
      // Probes stay at the floor until one sent after the block began is accepted.
      if (mode.resumedAt === undefined) return mode.from;
      const rate = mode.from * 2 ** ((now - mode.resumedAt) / 1000);
      if (rate < target) return rate;
      // Back at the estimate: later spans are measured from here, not across the block.
      this.mode = { kind: 'cubic', since: now };
      this.lastOnset = now;
      return target;
    }
    const t = (now - mode.since) / 1000 - PACER.recoverSeconds;
    const rate = this.wMax * (1 + CUBIC_C * t ** 3);
    if (rate < PACER.maxGrowth * this.wMax) return rate;
    // Twice the estimate without a refusal: the estimate was low (or the limit rose). Take the
    // plateau as the new estimate and probe on from it, rather than sit at a cap no server set.
    this.wMax *= PACER.maxGrowth;
    this.mode = { kind: 'cubic', since: now - PACER.recoverSeconds * 1000 };
    return this.wMax;
  }

  private refill(now: number, rate: number): void {
    const depth = Math.max(1, rate * PACER.burstSeconds);
    this.tokens = Math.min(depth, this.tokens + ((now - this.tokensAt) / 1000) * rate);
    this.tokensAt = now;
  }
}
