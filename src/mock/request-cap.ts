import { type Exchange, sendError } from './exchange.js';
import type { Stoppable } from './stream-responder.js';
import { serverOverloaded } from './wire-errors.js';

/**
 * The server-side time cap (`maxRequestMs`; StepFun's is 10 minutes, wire facts §6): a request
 * still running when it expires gets 503 if no headers went out yet, else its stream is ended
 * without finish_reason or `[DONE]`. Counted as `cap503` / `capCut`. The clock starts when the
 * request arrived, so a slow upload or a stall uses up the same budget.
 */
export class RequestCap {
  private responder: Stoppable | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ex: Exchange) {
    const wait = Math.max(0, ex.record.receivedAt + ex.options.maxRequestMs - performance.now());
    this.timer = setTimeout(this.fire, wait);
    ex.res.once('close', () => clearTimeout(this.timer));
  }

  /** The response now being produced, so the cap can stop its timers before cutting it. */
  attach(responder: Stoppable): void {
    this.responder = responder;
  }

  private fire = (): void => {
    const { res, record, state } = this.ex;
    if (res.writableEnded || res.destroyed) return;
    const stillRunning = this.responder?.stop() ?? true;
    if (!res.headersSent) {
      record.capped = 'cap503';
      state.stats.countFault('cap503');
      sendError(
        this.ex,
        serverOverloaded(`Request exceeded the server time limit of ${this.ex.options.maxRequestMs} ms`),
      );
    } else if (stillRunning) {
      record.capped = 'capCut';
      state.stats.countFault('capCut');
      // Headers out but nothing able to stop the body: end it here (responders normally do).
      if (!this.responder) res.end();
    }
  };
}
