import { RepeatTracker } from '../eval/repeats.js';
import { GoodputTracker, type Slo } from '../eval/slo.js';
import { MetricsCollector } from '../metrics/collector.js';
import type { Price } from '../plan/types.js';
import { TOP_FAILURES } from '../report/summary-md.js';
import { ErrorDigest } from '../results/error-digest.js';
import { isSuccess } from '../results/outcomes.js';
import { readResults } from '../results/reader.js';
import type { JobResult } from '../results/types.js';
import { AttemptTimeline } from './attempt-timeline.js';

export interface ReplayPlan {
  targets: ReadonlyArray<{ name: string; price?: Price }>;
  slos: Slo[];
  /** `--repeat`: repeats are summarised above 1. */
  repeat: number;
  /** The pinned concurrency limit of a non-adaptive run, for the timeline; null when adaptive. */
  pinnedLimit: number | null;
}

/** What a run's session would have gathered, from its results file alone. */
export interface Replayed {
  /** The statistics: every result but warmups (the kept results of a resumed run are in the file). */
  overall: MetricsCollector;
  goodput: Map<string, GoodputTracker>;
  repeats: RepeatTracker | undefined;
  /** The messages behind every final non-success, warmups included, as the session counts them. */
  errorDigest: ErrorDigest;
  /** The first rows whose answers failed their checks, for summary.md. */
  failedCheckSamples: JobResult[];
  timeline: AttemptTimeline;
  /** Results read. */
  results: number;
  /** The latest end of any result, ms on the run's clock; 0 without results. */
  lastEndAt: number;
  /** Line of a cut-off last record, left out. */
  tornLine?: number;
}

/**
 * Streams `results.jsonl` once through what a live session feeds with each finished job: the
 * metrics (warmups left out, as `RunSession` leaves them out of the statistics), goodput, repeats,
 * the error digest, the failed-check samples and the timeline. Bad lines are UserErrors naming
 * file:line (`readResults`); a cut-off last line is tolerated and reported in `tornLine`.
 */
export async function replayResults(path: string, plan: ReplayPlan): Promise<Replayed> {
  const replayed: Replayed = {
    overall: new MetricsCollector(plan.targets),
    goodput: new Map(plan.targets.map((t) => [t.name, new GoodputTracker(plan.slos)])),
    repeats: plan.repeat > 1 ? new RepeatTracker() : undefined,
    errorDigest: new ErrorDigest(),
    failedCheckSamples: [],
    timeline: new AttemptTimeline(plan.pinnedLimit),
    results: 0,
    lastEndAt: 0,
  };
  const onTornTail = (line: number) => {
    replayed.tornLine = line;
  };
  for await (const result of readResults(path, onTornTail)) {
    replayed.results++;
    replayed.lastEndAt = Math.max(replayed.lastEndAt, result.times.endAt);
    replayed.timeline.add(result);
    if (!isSuccess(result.outcome)) replayed.errorDigest.add(result.outcome, result.error?.message);
    if (result.outcome === 'assertion_failed' && replayed.failedCheckSamples.length < TOP_FAILURES)
      replayed.failedCheckSamples.push(result);
    if (result.warmup) continue;
    replayed.overall.add(result);
    replayed.goodput.get(result.target)?.add(result);
    replayed.repeats?.add(result);
  }
  return replayed;
}
