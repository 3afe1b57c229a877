import type { TimeoutAbortReason } from './classify.js';

/** stepbench's named timeouts, in ms; each is off when undefined or 0. */
export interface Timeouts {
  /** Request sent → first chunk with text (reasoning counts). Without streaming: → whole body. */
  firstTokenMs?: number;
  /** Longest silence between two body chunks once the response has started. */
  idleMs?: number;
  /** Request sent → end of the response, whatever happens in between. */
  totalMs?: number;
}

const reason = (phase: TimeoutAbortReason['phase']): TimeoutAbortReason => ({ kind: 'timeout', phase });

/**
 * The timers of one attempt. They abort the attempt's signal with a `{kind:'timeout', phase}`
 * reason, which the client reports as `timeout_<phase>`. Own timers rather than undici's
 * headers/body timeouts, which tick on a ~1 s wheel and cannot tell first-token from idle.
 * The idle timer is re-armed with `refresh()` on every chunk: no allocation per chunk, which
 * matters with thousands of concurrent streams. (The connect timeout is undici's: only the
 * socket layer sees the handshake; see Transport.)
 */
export class AttemptDeadlines {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private firstToken: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private total: NodeJS.Timeout | undefined;

  private readonly outer: AbortSignal | undefined;
  private readonly onOuterAbort = () => this.controller.abort(this.outer?.reason);

  constructor(
    private readonly timeouts: Timeouts,
    outer?: AbortSignal,
  ) {
    // Follow the run's signal by hand rather than with AbortSignal.any: one listener, removed in
    // dispose(), keeps nothing alive after the attempt however many attempts a run makes.
    this.signal = this.controller.signal;
    this.outer = outer;
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    const fire = (phase: TimeoutAbortReason['phase']) => () => this.controller.abort(reason(phase));
    this.firstTokenFire = fire('first_token');
    if (timeouts.totalMs) this.total = setTimeout(fire('total'), timeouts.totalMs);
    this.idleFire = fire('idle');
  }

  private readonly idleFire: () => void;
  private readonly firstTokenFire: () => void;
  private disposed = false;

  /**
   * The request is on the wire: the first token is due within `firstTokenMs` of this, like
   * ttft, so a slow connection set-up (the connect timeout's business) does not eat into it.
   */
  sent(): void {
    if (this.disposed || this.firstToken || !this.timeouts.firstTokenMs) return;
    this.firstToken = setTimeout(this.firstTokenFire, this.timeouts.firstTokenMs);
  }

  /** Response headers arrived: the body may now be silent for at most `idleMs` at a time. */
  started(): void {
    if (this.timeouts.idleMs) this.idle = setTimeout(this.idleFire, this.timeouts.idleMs);
  }

  /** A body chunk arrived; `sawToken` once text has been seen. */
  chunk(sawToken: boolean): void {
    this.idle?.refresh();
    if (sawToken && this.firstToken) {
      clearTimeout(this.firstToken);
      this.firstToken = undefined;
    }
  }

  /** The attempt is over: no timer may fire after this. */
  dispose(): void {
    this.disposed = true;
    this.outer?.removeEventListener('abort', this.onOuterAbort);
    clearTimeout(this.firstToken);
    clearTimeout(this.idle);
    clearTimeout(this.total);
  }
}
