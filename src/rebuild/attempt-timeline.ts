import { Timeline, type TimelineJSON } from '../metrics/timeline.js';
import type { OutcomeClass } from '../results/outcomes.js';
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
 * The attempts are kept as a few plain values each until `toJSON` sorts them into time order (a
 * 100,000-job run without retries holds 200,000 entries, not its results).
 */
export class AttemptTimeline {
  /** Times (ms since the run started) of every start and end, in the order seen. */
  private readonly at: number[] = [];
  /** Per entry: 0 for a start, 1 for an end, 2 for the end of an attempt that was retried. */
  private readonly kind: number[] = [];
  /** Per entry: the attempt's outcome (read at its end). */
  private readonly outcome: OutcomeClass[] = [];
  /** Per entry: completion tokens of a final attempt's end, else 0. */
  private readonly tokens: number[] = [];

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
    const order = this.at.map((_, i) => i);
    // Ends before starts at the same instant: a slot freed and taken again is one in flight, not two.
    order.sort(
      (a, b) =>
        (this.at[a] as number) - (this.at[b] as number) ||
        (this.kind[b] as number) - (this.kind[a] as number),
    );
    const timeline = new Timeline(0, this.pinnedLimit ?? undefined);
    let inFlight = 0;
    for (const i of order) {
      const at = this.at[i] as number;
      const kind = this.kind[i] as number;
      if (kind === START) timeline.attemptStarted(at, ++inFlight);
      else {
        inFlight = Math.max(0, inFlight - 1);
        timeline.attemptEnded(
          at,
          this.outcome[i] as OutcomeClass,
          kind === END_RETRIED,
          this.tokens[i] as number,
        );
      }
    }
    return { buckets: timeline.toJSON().buckets, events: [] };
  }

  private push(at: number, kind: number, outcome: OutcomeClass, tokens: number): void {
    this.at.push(at);
    this.kind.push(kind);
    this.outcome.push(outcome);
    this.tokens.push(tokens);
  }
}
