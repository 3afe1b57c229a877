import type { OutcomeClass } from './outcomes.js';

/** How many distinct messages a class keeps, and how many the report shows. */
const KEEP = 50;
const SHOW = 3;

export interface ErrorMessageCount {
  message: string;
  count: number;
}

/** The messages behind each error class, deduplicated and counted, for the console and the report. */
export type ErrorDigestJSON = Partial<Record<OutcomeClass, ErrorMessageCount[]>>;

/**
 * Counts final error messages per outcome class. Digits are folded (`HTTP 503 after 1234 ms` and
 * `… 987 ms` count as one message, shown with the first wording seen) so a class is summarised by
 * its kinds of failure, not its timestamps. Bounded: at most 50 distinct messages per class.
 */
export class ErrorDigest {
  private readonly byClass = new Map<OutcomeClass, Map<string, ErrorMessageCount>>();

  add(outcome: OutcomeClass, message: string | undefined): void {
    if (message === undefined || message === '') return;
    let messages = this.byClass.get(outcome);
    if (!messages) {
      messages = new Map();
      this.byClass.set(outcome, messages);
    }
    const key = message.replace(/\d+/g, '#');
    const entry = messages.get(key);
    if (entry) entry.count++;
    else if (messages.size < KEEP) messages.set(key, { message, count: 1 });
  }

  /** The most frequent messages of each class, most frequent first. */
  toJSON(show = SHOW): ErrorDigestJSON {
    const out: ErrorDigestJSON = {};
    for (const [outcome, messages] of this.byClass) {
      out[outcome] = [...messages.values()].sort((a, b) => b.count - a.count).slice(0, show);
    }
    return out;
  }

  /** The single most frequent message over all classes, with its class. */
  top(): { outcome: OutcomeClass; message: string; count: number } | undefined {
    let best: { outcome: OutcomeClass; message: string; count: number } | undefined;
    for (const [outcome, messages] of this.byClass) {
      for (const m of messages.values()) if (!best || m.count > best.count) best = { outcome, ...m };
    }
    return best;
  }
}
