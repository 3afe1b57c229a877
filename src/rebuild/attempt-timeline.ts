import { UserError } from '../errors.js';
import { Timeline, type TimelineJSON } from '../metrics/timeline.js';
import { OUTCOME_CLASSES, type OutcomeClass } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';

const START = 0;
const END = 1;
const END_RETRIED = 2;

/**
 * The report's per-second timeline rebuilt from the attempts recorded in `results.jsonl`: each
 * attempt starts at its `sentAt` and ends at its `endAt`. The live timeline counts an attempt from
 * the moment it got its slot (before the connection and the headers), so in flight here means on
 * the wire, and a start can fall a second later than the run counted it. Every attempt but a
 * job's last was retried; output tokens are known for a job's final attempt only. The limit and
 * send rate are the run's pinned ones (none for an adaptive run: the limiter's moves are not in
 * the results), and there are no events.
 *
 * The attempts are kept as 13 bytes each in typed arrays until `toJSON` sorts them into time
 * order: a 1,000,000-job run without retries holds 2,000,000 entries in some 34 MB (with the sort's
 * index), not its results — plain arrays of numbers and strings took three times that.
 */
export class AttemptTimeline {
  /** Times (ms since the run started) of every start and end, in the order seen. */
  private at = new Float64Array(1024);
  /** Per entry: the kind (0 a start, 1 an end, 2 the end of an attempt that was retried) × 32 + the outcome's index. */
  private meta = new Uint8Array(1024);
  /** Per entry: completion tokens of a final attempt's end, else 0. */
  private tokens = new Uint32Array(1024);
  private size = 0;
  /** Outcome names by index: this version's classes, then any a newer results file has. */
  private readonly outcomes: string[] = [...OUTCOME_CLASSES];
  private readonly outcomeIndex = new Map<string, number>(OUTCOME_CLASSES.map((o, i) => [o, i]));

  constructor(private readonly pinnedLimit: number | null) {}

  add(result: JobResult): void {
    // Results written before attempts were recorded still stand for one attempt.
    const attempts =
      result.attempts.length > 0
        ? result.attempts
        : [{ outcome: result.outcome, sentAt: result.times.sentAt, endAt: result.times.endAt }];
    attempts.forEach((attempt, i) => {
      const last = i === attempts.length - 1;
      this.push(attempt.sentAt, START, attempt.outcome, 0);
      this.push(
        attempt.endAt,
        last ? END : END_RETRIED,
        attempt.outcome,
        last ? result.usage.completionTokens : 0,
      );
    });
  }

  toJSON(): TimelineJSON {
    const { at, meta, tokens } = this;
    const order = new Uint32Array(this.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    // Ends before starts at the same instant: a slot freed and taken again is one in flight, not two.
    order.sort(
      (a, b) =>
        (at[a] as number) - (at[b] as number) || kindOf(meta[b] as number) - kindOf(meta[a] as number),
    );
    const timeline = new Timeline(0, this.pinnedLimit ?? undefined);
    let inFlight = 0;
    for (const i of order) {
      const time = at[i] as number;
      const kind = kindOf(meta[i] as number);
      if (kind === START) timeline.attemptStarted(time, ++inFlight);
      else {
        inFlight = Math.max(0, inFlight - 1);
        const outcome = this.outcomes[(meta[i] as number) % KIND_FACTOR] as OutcomeClass;
        timeline.attemptEnded(time, outcome, kind === END_RETRIED, tokens[i] as number);
      }
    }
    return { buckets: timeline.toJSON().buckets, events: [] };
  }

  private push(time: number, kind: number, outcome: OutcomeClass, completionTokens: number): void {
    if (this.size === this.at.length) this.grow();
    let index = this.outcomeIndex.get(outcome);
    if (index === undefined) {
      if (this.outcomes.length === KIND_FACTOR)
        throw new UserError(`results name more than ${KIND_FACTOR} outcome classes (the last: "${outcome}")`);
      index = this.outcomes.push(outcome) - 1;
      this.outcomeIndex.set(outcome, index);
    }
    this.at[this.size] = time;
    this.meta[this.size] = kind * KIND_FACTOR + index;
    this.tokens[this.size] = Math.max(0, Math.min(completionTokens, 0xffffffff));
    this.size++;
  }

  private grow(): void {
    const at = new Float64Array(this.at.length * 2);
    at.set(this.at);
    const meta = new Uint8Array(this.meta.length * 2);
    meta.set(this.meta);
    const tokens = new Uint32Array(this.tokens.length * 2);
    tokens.set(this.tokens);
    this.at = at;
    this.meta = meta;
    this.tokens = tokens;
  }
}

/** Outcome indexes stay below this; the kind is the multiple of it. */
const KIND_FACTOR = 32;
const kindOf = (meta: number) => Math.floor(meta / KIND_FACTOR);
