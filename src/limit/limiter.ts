import { type Clock, realClock, type TimerHandle } from '../clock.js';
import { limiterSignal, type OutcomeClass } from '../results/outcomes.js';
import { AdaptiveConcurrency, type LimitEvent } from './adaptive-concurrency.js';
import { type EvidenceCounts, RefusalEvidence } from './refusal-evidence.js';
import { type RateEpisode, SendPacer } from './send-pacer.js';
import { RateBudget } from './token-bucket.js';

/**
 * The one gate a job passes before each attempt: a concurrency slot (fixed or adaptive), a send
 * token from the learned rate (adaptive), an RPM token, a TPM debit, and no global hold. Waiters
 * are served strictly in arrival order. In adaptive mode each refusal is put down to a
 * concurrency or a rate limit (refusal-evidence.ts): the first cuts the concurrency limit, the
 * second sets the send rate (send-pacer.ts). Design note 005.
 */

export interface LimiterOptions {
  maxConcurrency: number;
  /** Adaptive AIMD concurrency (default in the CLI); false pins the limit at maxConcurrency. */
  adaptive: boolean;
  rpm?: number;
  tpm?: number;
  /** Time for holds, budgets and the adaptive controller, and the timer that wakes waiters. Default the real clock. */
  clock?: Clock;
  /** Adaptive starting limit; default 4 (clamped to maxConcurrency). */
  initialConcurrency?: number;
}

/** A limit change or growth pause from the adaptive controller, or a global hold (`hold`). */
export type LimiterEvent =
  | LimitEvent
  | { at: number; kind: 'hold'; limit: number; reason: string; untilMs: number }
  | { at: number; kind: 'rate'; limit: number; reason: string; episode: RateEpisode };

/** What the adaptive controller learned, for the report. */
export interface LimiterState {
  /** Concurrency limit now. */
  limit: number;
  /** Learned send rate, req/s; null while pacing never engaged. */
  ratePerSec: number | null;
  /** Refusal episodes each controller answered (a burst of refusals of one moment is one episode). */
  episodes: { concurrency: number; rate: number };
  evidence: EvidenceCounts;
}

export interface PermitFeedback {
  outcome: OutcomeClass;
  status?: number;
  /** Tokens the server reported (prompt + completion); corrects the TPM estimate. */
  actualTokens?: number;
  /** The server's wait hint (parseRetryAfter) on a 429/503. */
  retryAfterMs?: number;
}

export interface Permit {
  /** Frees the slot and reports how the attempt went. Calling it again does nothing. */
  release(feedback: PermitFeedback): void;
}

interface Waiter {
  tokens: number;
  resolve: (permit: Permit) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class Limiter {
  private readonly now: () => number;
  private readonly setTimer: Clock['setTimer'];
  private readonly fixedLimit: number;
  private readonly adaptive?: AdaptiveConcurrency;
  private readonly pacer?: SendPacer;
  private readonly evidence?: RefusalEvidence;
  private readonly rpm?: RateBudget;
  private readonly tpm?: RateBudget;
  private readonly queue: Waiter[] = [];
  private readonly listeners: Array<(e: LimiterEvent) => void> = [];
  private active = 0;
  private concurrencyEpisodes = 0;
  private heldUntil = Number.NEGATIVE_INFINITY;
  private timer?: TimerHandle;
  private timerAt = Number.NaN;

  constructor(options: LimiterOptions) {
    if (!(Number.isInteger(options.maxConcurrency) && options.maxConcurrency >= 1)) {
      throw new RangeError(`maxConcurrency must be an integer ≥ 1, got ${options.maxConcurrency}`);
    }
    const clock = options.clock ?? realClock;
    this.now = clock.now;
    this.setTimer = clock.setTimer;
    this.fixedLimit = options.maxConcurrency;
    if (options.adaptive) {
      this.adaptive = new AdaptiveConcurrency({
        max: options.maxConcurrency,
        now: this.now,
        ...(options.initialConcurrency !== undefined && { initial: options.initialConcurrency }),
      });
      this.adaptive.onEvent((e) => this.emit(e));
      this.pacer = new SendPacer(this.now);
      this.evidence = new RefusalEvidence();
    }
    if (options.rpm !== undefined) this.rpm = new RateBudget({ perMinute: options.rpm, now: this.now });
    if (options.tpm !== undefined) this.tpm = new RateBudget({ perMinute: options.tpm, now: this.now });
  }

  get limit(): number {
    return this.adaptive ? this.adaptive.limit : this.fixedLimit;
  }

  get inFlight(): number {
    return this.active;
  }

  /** The learned send rate, req/s; null while pacing is off. */
  get ratePerSec(): number | null {
    return this.pacer?.engaged ? this.pacer.ratePerSec : null;
  }

  get state(): LimiterState {
    return {
      limit: this.limit,
      ratePerSec: this.ratePerSec,
      episodes: { concurrency: this.concurrencyEpisodes, rate: this.pacer?.episodeCount ?? 0 },
      evidence: this.evidence?.summary ?? { refusals: { concurrency: 0, rate: 0 } },
    };
  }

  get waiting(): number {
    return this.queue.length;
  }

  onEvent(listener: (e: LimiterEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Waits (FIFO) until a concurrency slot, an RPM token and `estimatedTokens` TPM are available
   * and no global hold is in force. Rejects with `signal.reason` if aborted while waiting; an
   * aborted waiter takes nothing.
   */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { tokens: Math.max(0, estimatedTokens), resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index < 0) return;
          this.queue.splice(index, 1);
          reject(signal.reason);
          // The head may have been the one blocking everyone behind it.
          this.pump();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /**
   * Everyone waits until `untilMs` (clock time): after a 429 with Retry-After the server asked the
   * whole client to slow down, not one request. A shorter hold never shortens a longer one.
   */
  pauseUntil(untilMs: number, reason: string): void {
    if (!(untilMs > this.heldUntil) || untilMs <= this.now()) return;
    this.heldUntil = untilMs;
    this.emit({ at: this.now(), kind: 'hold', limit: this.limit, reason, untilMs });
    this.pump();
  }

  private grant(waiter: Waiter): Permit {
    this.active++;
    const inFlightAtSend = this.active;
    this.rpm?.take(1);
    this.tpm?.take(waiter.tokens);
    this.pacer?.take();
    this.adaptive?.noteInFlight(this.active);
    const grantedAt = this.now();
    let released = false;
    return {
      release: (feedback) => {
        if (released) return;
        released = true;
        this.settle(waiter.tokens, grantedAt, inFlightAtSend, feedback);
      },
    };
  }

  private settle(
    estimated: number,
    grantedAt: number,
    inFlightAtSend: number,
    feedback: PermitFeedback,
  ): void {
    this.active--;
    if (this.tpm && feedback.actualTokens !== undefined && Number.isFinite(feedback.actualTokens)) {
      this.tpm.adjust(feedback.actualTokens - estimated);
    }
    const kind = limiterSignal(feedback.outcome);
    if (kind === 'back_off') {
      this.onRateLimited(feedback.retryAfterMs, grantedAt, inFlightAtSend);
    } else if (kind === 'pause_growth') {
      this.adaptive?.onTrouble(feedback.status === undefined ? feedback.outcome : `HTTP ${feedback.status}`);
    } else if (kind === 'grow') {
      this.pacer?.onAccepted(grantedAt);
      this.evidence?.onAccepted(grantedAt, inFlightAtSend);
      this.adaptive?.onSuccess();
    }
    this.pump();
  }

  /**
   * A 429. In adaptive mode it is put down to a rate or a concurrency limit (design note 005): a
   * rate limit sets the send pacer and its Retry-After pauses every send (concurrency bounds
   * requests in flight, not requests per second, so only pacing stops a stream of instant
   * retries); a concurrency limit cuts the concurrency limit and holds no one else. With a fixed
   * concurrency only the server's Retry-After holds the client.
   */
  private onRateLimited(retryAfterMs: number | undefined, sentAt: number, inFlightAtSend: number): void {
    const hint = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : undefined;
    const reason = hint === undefined ? '429' : `429 with Retry-After ${Math.round(hint)} ms`;
    const kind = this.evidence?.classify(sentAt, inFlightAtSend, {
      limit: this.limit,
      min: 1,
      pacing: this.pacer?.engaged ?? false,
    });
    if (this.pacer && kind === 'rate') {
      // A rate limit: the concurrency limit stays (it did not cause this); the send rate is cut to
      // what the server accepted, and a Retry-After pauses sends — only sends: the controller's
      // own episode bookkeeping runs on this clock, so a hint cannot freeze it.
      const episode = this.pacer.onRefused(sentAt);
      if (episode) {
        this.adaptive?.onRateLimitPaced();
        this.emit({
          at: this.now(),
          kind: 'rate',
          limit: this.limit,
          reason: `${reason}: rate limit (accepted ${episode.estimatePerSec.toFixed(2)} req/s, ${episode.basis})`,
          episode,
        });
      }
      if (hint !== undefined) this.pauseUntil(this.now() + hint, reason);
      return;
    }
    if (this.adaptive) {
      // A concurrency limit: the cut is the cure (the next slot frees within one reply), so no
      // one else is held, whatever the Retry-After says — the refused request itself still waits
      // for it before its retry (retry-policy.ts).
      if (
        this.adaptive.onConcurrencyLimit(this.evidence?.acceptedInFlight(sentAt) ?? 0, sentAt, inFlightAtSend)
      ) {
        this.concurrencyEpisodes++;
      }
      return;
    }
    if (hint !== undefined) this.pauseUntil(this.now() + hint, reason);
  }

  /** Grants waiters from the head while every constraint allows, then arms one timer if needed. */
  private pump(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) {
        this.disarm();
        return;
      }
      const now = this.now();
      const waitMs = Math.max(
        this.heldUntil - now,
        this.pacer ? this.pacer.msUntilSend() : 0,
        this.rpm ? this.rpm.msUntil(1) : 0,
        this.tpm ? this.tpm.msUntil(head.tokens) : 0,
        0,
      );
      if (this.active >= this.limit) {
        // A release will call pump again; time-based waits are re-checked then.
        this.disarm();
        return;
      }
      if (waitMs > 0) {
        this.arm(now + waitMs);
        return;
      }
      this.queue.shift();
      if (head.signal && head.onAbort) head.signal.removeEventListener('abort', head.onAbort);
      head.resolve(this.grant(head));
    }
  }

  private arm(at: number): void {
    if (this.timer && this.timerAt === at) return;
    this.disarm();
    this.timerAt = at;
    this.timer = this.setTimer(
      () => {
        this.timer = undefined;
        this.timerAt = Number.NaN;
        this.pump();
      },
      Math.max(0, at - this.now()),
    );
  }

  private disarm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Number.NaN;
  }

  private emit(e: LimiterEvent): void {
    for (const listener of this.listeners) listener(e);
  }
}
